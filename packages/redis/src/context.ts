import type { RedisCalls } from './calls.js';
import type { RedisClient } from './connection.js';
import type { KeySpace } from './keys.js';
import type { ScriptRunner } from './script-runner.js';

export const TRANSPORT_NAME = 'redis';

/** What the queue, receive and topic parts of the driver share. */
export interface DriverContext {
  readonly client: RedisClient;
  /** Runs plain commands with the driver's deadlines and failover window (scripts use it too). */
  readonly calls: RedisCalls;
  readonly scripts: ScriptRunner;
  readonly keys: KeySpace;
  /** True on Redis Cluster: keys of different queues may live on different slots. */
  readonly cluster: boolean;
}

/** Names in a registry set that still exist, filtered by prefix and sorted. */
export async function listRegistered(
  context: DriverContext,
  registry: string,
  prefix: string,
  configKey: (name: string) => string,
): Promise<string[]> {
  const { calls, client } = context;
  const names = (await calls.run(() => client.smembers(registry))).filter((name) => name.startsWith(prefix));
  const exists = await Promise.all(names.map((name) => calls.run(() => client.exists(configKey(name)))));
  const gone = names.filter((_, index) => exists[index] === 0);
  if (gone.length > 0) await calls.run(() => client.srem(registry, ...gone));
  return names.filter((_, index) => exists[index] === 1).sort();
}
