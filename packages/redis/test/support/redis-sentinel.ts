import { PrivateRedis, redisCli } from './redis-server.js';

const MASTER_NAME = 'msgport-primary';

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} within ${timeoutMs} ms`);
}

/**
 * A Sentinel-managed Redis on free loopback ports: one primary, two replicas and three Sentinels
 * (quorum 2, `down-after-milliseconds` 1,000), each a private redis-server with its own temp dir.
 */
export class LocalSentinel {
  readonly masterName = MASTER_NAME;
  readonly servers: readonly PrivateRedis[];
  readonly sentinels: readonly PrivateRedis[];

  private constructor(servers: readonly PrivateRedis[], sentinels: readonly PrivateRedis[]) {
    this.servers = servers;
    this.sentinels = sentinels;
  }

  static async start(): Promise<LocalSentinel> {
    const started: PrivateRedis[] = [];
    try {
      const primary = await PrivateRedis.start();
      started.push(primary);
      const replicaArgs = ['--replicaof', '127.0.0.1', String(primary.port), '--repl-diskless-sync-delay', '0'];
      const replicas = await Promise.all([0, 1].map(() => PrivateRedis.start({ args: replicaArgs })));
      started.push(...replicas);
      const sentinelOf = { masterName: MASTER_NAME, port: primary.port, quorum: 2, downAfterMs: 1000 };
      const sentinels = await Promise.all([0, 1, 2].map(() => PrivateRedis.start({ sentinel: sentinelOf })));
      started.push(...sentinels);
      const setup = new LocalSentinel([primary, ...replicas], sentinels);
      await setup.#waitUntilReady();
      return setup;
    } catch (error) {
      await Promise.all(started.map((server) => server.destroy()));
      throw error;
    }
  }

  /** `redis+sentinel://s1,s2,s3/<masterName>` */
  get url(): string {
    const hosts = this.sentinels.map((sentinel) => `127.0.0.1:${sentinel.port}`).join(',');
    return `redis+sentinel://${hosts}/${MASTER_NAME}`;
  }

  /** The port of the primary the Sentinels currently name. */
  async primaryPort(): Promise<number> {
    const port = this.sentinels[0]?.port;
    const reply = await redisCli(['-p', String(port), 'sentinel', 'get-master-addr-by-name', MASTER_NAME]);
    return Number(reply.trim().split('\n')[1]);
  }

  server(port: number): PrivateRedis {
    const found = this.servers.find((server) => server.port === port);
    if (!found) throw new Error(`no data node listens on ${port}`);
    return found;
  }

  /** Every replica synced and every Sentinel knows both replicas and the two other Sentinels. */
  async #waitUntilReady(): Promise<void> {
    await waitFor('the replicas did not sync', 30_000, async () => {
      const infos = await Promise.all(
        this.servers.slice(1).map((server) => redisCli(['-p', String(server.port), 'info', 'replication'])),
      );
      return infos.every((info) => info.includes('master_link_status:up'));
    });
    await waitFor('the Sentinels did not discover each other', 30_000, async () => {
      const views = await Promise.all(
        this.sentinels.map((sentinel) => redisCli(['-p', String(sentinel.port), 'sentinel', 'master', MASTER_NAME])),
      );
      return views.every((view) => /num-slaves\n2\n/.test(view) && /num-other-sentinels\n2\n/.test(view));
    });
  }

  async stop(): Promise<void> {
    await Promise.all([...this.sentinels, ...this.servers].map((server) => server.destroy()));
  }
}
