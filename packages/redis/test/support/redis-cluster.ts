import { PrivateRedis, redisCli } from './redis-server.js';

export interface LocalClusterOptions {
  /** Replicas per primary (0: three primaries only; 1: three primaries and three replicas). */
  readonly replicas?: number;
  /** `cluster-node-timeout`, which dominates how long a failover takes. Default 5,000 ms. */
  readonly nodeTimeoutMs?: number;
}

/**
 * A Redis Cluster of three primaries (and optionally a replica each) on free loopback ports, each
 * a private redis-server with its own temp dir, created with `redis-cli --cluster create`.
 */
export class LocalCluster {
  readonly nodes: readonly PrivateRedis[];

  private constructor(nodes: readonly PrivateRedis[]) {
    this.nodes = nodes;
  }

  static async start(options: LocalClusterOptions = {}): Promise<LocalCluster> {
    const replicas = options.replicas ?? 0;
    const count = 3 * (1 + replicas);
    // Replicas sync at once (not after the default 5 s), so a failover test can start right away.
    const args = ['--repl-diskless-sync-delay', '0'];
    const nodes = await Promise.all(
      Array.from({ length: count }, () =>
        PrivateRedis.start({ cluster: true, args, clusterNodeTimeoutMs: options.nodeTimeoutMs }),
      ),
    );
    const cluster = new LocalCluster(nodes);
    try {
      await redisCli([
        '--cluster',
        'create',
        ...nodes.map((node) => `127.0.0.1:${node.port}`),
        '--cluster-replicas',
        String(replicas),
        '--cluster-yes',
      ]);
      await cluster.#waitUntilOk();
      if (replicas > 0) await cluster.#waitUntilReplicasSynced();
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

  /** The node listening on `port`. */
  node(port: number): PrivateRedis {
    const found = this.nodes.find((node) => node.port === port);
    if (!found) throw new Error(`no node of this cluster listens on ${port}`);
    return found;
  }

  /** Waits until the surviving nodes report `cluster_state:ok` (e.g. after a failover). */
  async #waitUntilOk(timeoutMs = 30_000, skip: ReadonlySet<number> = new Set()): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const live = this.nodes.filter((node) => !skip.has(node.port));
    while (Date.now() < deadline) {
      const states = await Promise.all(
        live.map((node) => redisCli(['-p', String(node.port), 'cluster', 'info']).catch(() => '')),
      );
      if (states.every((info) => info.includes('cluster_state:ok'))) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the local Redis Cluster did not reach cluster_state:ok within ${timeoutMs} ms`);
  }

  /** A replica that never synced with its primary cannot take over: wait for every link to be up. */
  async #waitUntilReplicasSynced(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const infos = await Promise.all(
        this.nodes.map((node) => redisCli(['-p', String(node.port), 'info', 'replication']).catch(() => '')),
      );
      const replicas = infos.filter((info) => info.includes('role:slave'));
      if (replicas.length > 0 && replicas.every((info) => info.includes('master_link_status:up'))) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the replicas of the local Redis Cluster did not sync within ${timeoutMs} ms`);
  }

  /** After a node was killed: resolves when the others agree the cluster is whole again. */
  waitUntilHealedWithout(port: number, timeoutMs = 30_000): Promise<void> {
    return this.#waitUntilOk(timeoutMs, new Set([port]));
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.destroy()));
  }
}
