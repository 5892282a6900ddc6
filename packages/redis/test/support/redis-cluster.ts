import { PrivateRedis, redisCli } from './redis-server.js';

/**
 * A Redis Cluster of three primaries (no replicas) on free loopback ports, each a private
 * redis-server with its own temp dir, created with `redis-cli --cluster create`.
 */
export class LocalCluster {
  readonly nodes: readonly PrivateRedis[];

  private constructor(nodes: readonly PrivateRedis[]) {
    this.nodes = nodes;
  }

  static async start(): Promise<LocalCluster> {
    const nodes = await Promise.all([0, 1, 2].map(() => PrivateRedis.start({ cluster: true })));
    const cluster = new LocalCluster(nodes);
    try {
      await redisCli([
        '--cluster',
        'create',
        ...nodes.map((node) => `127.0.0.1:${node.port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
      await cluster.#waitUntilOk();
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  get startupNodes(): { host: string; port: number }[] {
    return this.nodes.map((node) => ({ host: '127.0.0.1', port: node.port }));
  }

  /** `redis://…?cluster=true&nodes=…` for the URL registry. */
  get url(): string {
    const [first, ...rest] = this.nodes;
    const others = rest.map((node) => `127.0.0.1:${node.port}`).join(',');
    return `redis://127.0.0.1:${first?.port}?cluster=true&nodes=${others}`;
  }

  async #waitUntilOk(): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const states = await Promise.all(
        this.nodes.map((node) => redisCli(['-p', String(node.port), 'cluster', 'info']).catch(() => '')),
      );
      if (states.every((info) => info.includes('cluster_state:ok'))) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the local Redis Cluster did not reach cluster_state:ok within 30 s');
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.destroy()));
  }
}
