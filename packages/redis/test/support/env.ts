import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The shared server (never flushed or reconfigured: every run uses its own key prefix). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Under CI a missing Redis fails the run; locally the Redis tests skip with a message. */
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/** A key prefix no other run uses. */
export function uniquePrefix(label: string): string {
  return `msgport-test:${label}:${randomBytes(4).toString('hex')}:`;
}

/** Deletes the keys under `prefix` (and only those) on the server at `url`. */
export async function deletePrefix(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await client.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
