import { join } from 'node:path';
import { RabbitNode } from '../support/rabbit-node.js';
import type { ClusterNode, FailoverCluster } from './failover-cluster.js';

/**
 * Three private RabbitMQ nodes joined into one cluster (rabbitmqctl join_cluster). The client URL
 * names every node, the first one first: `amqp://guest:guest@127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3/`.
 * The tool declares the queue through the first node, so its quorum queue's leader is there too
 * (RabbitMQ places a new leader on the declaring connection's node).
 */
export async function startRabbitCluster(dir: string): Promise<FailoverCluster> {
  const cookie = `MSGPORTFAILOVER${process.pid}`;
  const nodes = await Promise.all(
    ['a', 'b', 'c'].map((letter) =>
      RabbitNode.prepare({
        dir: join(dir, `rabbit-${letter}`),
        name: `msgport-failover-${process.pid}-${letter}`,
        cookie,
      }),
    ),
  );
  const stopAll = () => Promise.all(nodes.map((node) => node.kill())).then(() => undefined);
  try {
    await Promise.all(nodes.map((node) => node.start()));
    const [first, ...others] = nodes as [RabbitNode, ...RabbitNode[]];
    for (const node of others) {
      await node.ctl(['stop_app']);
      await node.ctl(['join_cluster', first.nodeName]);
      await node.ctl(['start_app']);
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  const asClusterNode = (node: RabbitNode): ClusterNode => ({
    name: node.nodeName,
    kill: () => node.kill(),
    restart: () => node.start(),
  });
  const anyRunning = () => {
    const running = nodes.find((node) => node.running);
    if (!running) throw new Error('no RabbitMQ node of the cluster is running');
    return running;
  };
  const queueRow = async (queue: string) => {
    const rows = await anyRunning().ctl([
      'list_queues',
      'name',
      'leader',
      'messages_ready',
      'messages_unacknowledged',
      'consumers',
      '--quiet',
      '--no-table-headers',
    ]);
    const row = rows.split('\n').find((line) => line.split('\t')[0] === queue);
    const [, leader, ready, unacked, consumers] = row?.split('\t').map((field) => field.trim()) ?? [];
    return { leader, messages: `${ready} ready and ${unacked} unacknowledged messages, ${consumers} consumers` };
  };
  const leaderName = async (queue: string) => (await queueRow(queue)).leader;
  const leaderNode = async (queue: string) => {
    const name = await leaderName(queue);
    return { name, node: nodes.find((node) => node.nodeName === name) };
  };
  return {
    clientUrl: `amqp://guest:guest@${nodes.map((node) => `127.0.0.1:${node.port}`).join(',')}/`,
    setupUrl: nodes[0]?.url ?? '',
    async leaderOf(queue) {
      const { name, node: leader } = await leaderNode(queue);
      if (!leader) throw new Error(`no leader found for the queue ${queue} (rabbitmqctl says "${name}")`);
      return asClusterNode(leader);
    },
    async describe(queue) {
      const { leader, messages } = await queueRow(queue).catch((error: Error) => ({
        leader: `unknown (${error.message.split('\n')[0]})`,
        messages: '? messages',
      }));
      const rows = await anyRunning()
        .ctl(['list_connections', 'pid', '--quiet', '--no-table-headers'])
        .catch(() => '');
      const perNode = nodes.map((node) => {
        // A connection's pid names its node: <name@host.N.N.N>.
        const count = rows.split('\n').filter((line) => line.includes(`<${node.nodeName}.`)).length;
        return `${node.nodeName.split('@')[0]}${node.running ? '' : ' (down)'} ${count}`;
      });
      // Consumers by the node of their channel and their tag (msgport.<connection epoch>.<n>.<random>).
      const consumers = await anyRunning()
        .ctl(['list_consumers', 'queue_name', 'channel_pid', 'consumer_tag', '--quiet', '--no-table-headers'])
        .catch(() => '');
      const ours = consumers
        .split('\n')
        .map((line) => line.split('\t').map((field) => field.trim()))
        .filter(([name]) => name === queue)
        .map(([, pid, tag]) => `${nodeLetter(pid)}:${tag}`);
      return `leader ${leader}, ${messages} in the queue; client connections per node: ${perNode.join(', ')}; consumers: ${ours.join(' ') || 'none'}`;
    },
    async releaseOrphans(queue) {
      const { name, node: leader } = await leaderNode(queue);
      if (!leader) return `no leader found for ${queue} (rabbitmqctl says "${name}")`;
      await leader.ctl(['stop_app']);
      await leader.ctl(['start_app']);
      return `restarted the app on ${leader.nodeName}, which led the queue`;
    },
    stop: stopAll,
  };
}

/** The letter of the node a pid lives on: `<msgport-failover-123-b@localhost.1.2.3>` → `b`. */
function nodeLetter(pid: string | undefined): string {
  return (
    pid
      ?.match(/<([^@.]+)/)?.[1]
      ?.split('-')
      .at(-1) ?? '?'
  );
}
