import { join } from 'node:path';
import { waitUntil } from '../support/free-port.js';
import { RedisProcess, redisCli } from '../support/redis-process.js';
import type { FailoverCluster } from './failover-cluster.js';

export const MASTER_NAME = 'mymaster';
/** How long a primary may be silent before the sentinels fail it over (Sentinel's default is 30 s). */
export const SENTINEL_DOWN_AFTER_MS = 5_000;

const DATA_ARGS = ['--appendonly', 'yes', '--save', ''];

/**
 * Redis Sentinel: a primary, two replicas and three sentinels (quorum 2) on free loopback ports.
 * The client URL names the sentinels: `redis+sentinel://127.0.0.1:s1,127.0.0.1:s2,127.0.0.1:s3/mymaster`.
 */
export async function startRedisSentinel(dir: string): Promise<FailoverCluster> {
  const primary = await RedisProcess.start({ dir: join(dir, 'redis-0'), args: DATA_ARGS });
  const servers = [primary];
  const sentinels: RedisProcess[] = [];
  const stopAll = () => Promise.all([...sentinels, ...servers].map((node) => node.kill())).then(() => undefined);
  try {
    for (const i of [1, 2]) {
      const replicaOf = ['--replicaof', '127.0.0.1', String(primary.port)];
      servers.push(await RedisProcess.start({ dir: join(dir, `redis-${i}`), args: [...DATA_ARGS, ...replicaOf] }));
    }
    const config = [
      `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${primary.port} 2`,
      `sentinel down-after-milliseconds ${MASTER_NAME} ${SENTINEL_DOWN_AFTER_MS}`,
      `sentinel failover-timeout ${MASTER_NAME} 20000`,
      `sentinel parallel-syncs ${MASTER_NAME} 1`,
    ].join('\n');
    for (const i of [0, 1, 2]) {
      sentinels.push(await RedisProcess.start({ dir: join(dir, `sentinel-${i}`), sentinelConfig: config }));
    }
    await waitUntil(
      'the sentinels did not find both replicas and each other',
      async () => {
        const views = await Promise.all(sentinels.map((sentinel) => masterInfo(sentinel.port).catch(() => new Map())));
        return views.every((info) => info.get('num-slaves') === '2' && info.get('num-other-sentinels') === '2');
      },
      30_000,
      200,
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
  const currentPrimary = async () => {
    const sentinel = sentinels.find((candidate) => candidate.running) ?? (sentinels[0] as RedisProcess);
    const [, port] = (await redisCli(sentinel.port, ['SENTINEL', 'get-master-addr-by-name', MASTER_NAME])).split('\n');
    return Number(port);
  };
  return {
    clientUrl: `redis+sentinel://${sentinels.map((sentinel) => `127.0.0.1:${sentinel.port}`).join(',')}/${MASTER_NAME}`,
    setupUrl: `redis://127.0.0.1:${primary.port}`,
    async leaderOf() {
      const port = await currentPrimary();
      const node = servers.find((server) => server.port === port);
      if (!node) throw new Error(`the sentinels name 127.0.0.1:${port} as primary, not a server of this set-up`);
      return { name: `127.0.0.1:${port}`, kill: () => node.kill(), restart: () => node.start() };
    },
    async describe() {
      const port = await currentPrimary().catch(() => undefined);
      return `the sentinels name 127.0.0.1:${port ?? '?'} as primary`;
    },
    stop: stopAll,
  };
}

/** `SENTINEL MASTER <name>` as a map (redis-cli prints field and value on alternate lines). */
async function masterInfo(port: number): Promise<Map<string, string>> {
  const lines = (await redisCli(port, ['SENTINEL', 'MASTER', MASTER_NAME])).split('\n');
  const info = new Map<string, string>();
  for (let i = 0; i + 1 < lines.length; i += 2) info.set(lines[i] as string, lines[i + 1] as string);
  return info;
}
