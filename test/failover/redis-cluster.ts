import { join } from 'node:path';
import { freePort, waitUntil } from '../support/free-port.js';
import { RedisProcess, redisCli } from '../support/redis-process.js';
import type { ClusterNode, FailoverCluster } from './failover-cluster.js';

/** How long a primary may be silent before the cluster fails it over (Redis's default is 15 s). */
export const CLUSTER_NODE_TIMEOUT_MS = 5_000;

/**
 * A Redis Cluster of three primaries and three replicas on free loopback ports (appendonly yes),
 * made with `redis-cli --cluster create --cluster-replicas 1`. Every queue key shares the hash tag
 * `{q:<name>}`, so one primary holds the whole queue; that is the node the run kills.
 */
export async function startRedisCluster(dir: string): Promise<FailoverCluster> {
  const nodes = await Promise.all(
    [0, 1, 2, 3, 4, 5].map(async (i) =>
      RedisProcess.start({
        dir: join(dir, `redis-${i}`),
        args: [
          '--appendonly',
          'yes',
          '--save',
          '',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-node-timeout',
          String(CLUSTER_NODE_TIMEOUT_MS),
          // The bus port defaults to port + 10000, which may be taken or beyond 65535.
          '--cluster-port',
          String(await freePort()),
        ],
      }),
    ),
  );
  const stopAll = () => Promise.all(nodes.map((node) => node.kill())).then(() => undefined);
  const address = (node: RedisProcess) => `127.0.0.1:${node.port}`;
  const anyRunning = () => nodes.find((node) => node.running) ?? (nodes[0] as RedisProcess);
  /** `CLUSTER NODES` rows of primaries: [address, slot ranges]. */
  const primaries = async () => {
    const rows = await redisCli(anyRunning().port, ['CLUSTER', 'NODES']);
    return rows
      .split('\n')
      .map((row) => row.split(' '))
      .filter((fields) => fields[2]?.includes('master') && !fields[2].includes('fail'))
      .map((fields) => ({ address: (fields[1] ?? '').split('@')[0] ?? '', slots: fields.slice(8) }));
  };
  const ownerOf = async (queue: string) => {
    const slot = Number(await redisCli(anyRunning().port, ['CLUSTER', 'KEYSLOT', `{q:${queue}}`]));
    const owner = (await primaries()).find(({ slots }) =>
      slots.some((range) => {
        const [from, to = from] = range.split('-').map(Number);
        return from !== undefined && to !== undefined && slot >= from && slot <= to;
      }),
    );
    return { slot, owner: owner?.address };
  };
  try {
    await redisCli(nodes[0]?.port ?? 0, [
      '--cluster',
      'create',
      ...nodes.map(address),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ]);
    await waitUntil(
      'the Redis Cluster did not reach cluster_state:ok',
      async () => {
        const states = await Promise.all(nodes.map((node) => redisCli(node.port, ['CLUSTER', 'INFO']).catch(() => '')));
        return states.every((info) => info.includes('cluster_state:ok'));
      },
      30_000,
      200,
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
  const [first, ...rest] = nodes as [RedisProcess, ...RedisProcess[]];
  return {
    clientUrl: `redis://${address(first)}?cluster=true&nodes=${rest.map(address).join(',')}`,
    setupUrl: `redis://${address(first)}?cluster=true&nodes=${rest.map(address).join(',')}`,
    async leaderOf(queue) {
      const { slot, owner } = await ownerOf(queue);
      const node = nodes.find((candidate) => address(candidate) === owner);
      if (!node) throw new Error(`no primary found for slot ${slot}`);
      const asNode: ClusterNode = { name: address(node), kill: () => node.kill(), restart: () => node.start() };
      return asNode;
    },
    async describe(queue) {
      const { slot, owner } = await ownerOf(queue).catch(() => ({ slot: '?', owner: 'unknown' }));
      return `slot ${slot} of the queue is served by ${owner ?? 'no primary (failover in progress)'}`;
    },
    stop: stopAll,
  };
}
