import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

/**
 * The shared server the global setup found or started (never flushed or reconfigured: every run
 * uses its own key prefix).
 */
export const REDIS_URL: string = inject('redisUrl');

/** A key prefix no other run uses. */
export function uniquePrefix(label: string): string {
  return `msgport-test:${label}:${randomBytes(4).toString('hex')}:`;
}

export { deletePrefix } from '@msgport/test-support/redis';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
