import { isMsgportError, type Logger } from '@msgport/core/driver';
import { redisFailure } from './classify-error.js';
import { isCluster, type RedisClient } from './connection.js';
import { TRANSPORT_NAME } from './context.js';

/**
 * Reports connection loss and recovery of the driver's command client to the broker's logger:
 * one `warn` when a working connection is lost (messages stay constant per server, so the default
 * logger's rate limit applies), one `info` when calls succeed again. Error details go to `debug`;
 * nothing reaches ioredis's own "Unhandled error event" printing.
 */
export class ConnectionLog {
  readonly #logger: Logger;
  readonly #where: string;
  #connected = false;
  #lostAt: number | undefined;
  #closing = false;

  constructor(logger: Logger, where: string) {
    this.#logger = logger;
    this.#where = where;
  }

  /** Subscribes to the client's events; call once per client the driver owns. */
  watch(client: RedisClient): void {
    client.on('error', (error: unknown) => this.#detail('Redis connection error', error));
    client.on('ready', () => this.recovered());
    if (isCluster(client)) {
      client.on('node error', (error: unknown, node: unknown) => {
        this.#detail('Redis Cluster node error', error, { node: String(node) });
        this.lost(redisFailure(error)?.reason ?? 'a node failed', { node: String(node) });
      });
      client.on('-node', (node: { options?: { host?: string; port?: number } }) => {
        const address = `${node.options?.host}:${node.options?.port}`;
        this.#logger.debug('Redis Cluster node left the pool', { transport: TRANSPORT_NAME, node: address });
      });
      return;
    }
    client.on('close', () => this.lost('the connection closed'));
  }

  /** A working connection broke (or a cluster node failed); reported once per outage. */
  lost(reason: string, fields: Record<string, unknown> = {}): void {
    if (this.#closing || !this.#connected || this.#lostAt !== undefined) return;
    this.#lostAt = Date.now();
    this.#logger.warn(`lost the connection to Redis at ${this.#where}; reconnecting`, {
      transport: TRANSPORT_NAME,
      reason,
      ...fields,
    });
  }

  /** The client is ready again, or a call succeeded after failures. */
  recovered(): void {
    this.#connected = true;
    if (this.#lostAt === undefined || this.#closing) return;
    const downMs = Date.now() - this.#lostAt;
    this.#lostAt = undefined;
    this.#logger.info(`reconnected to Redis at ${this.#where}`, { transport: TRANSPORT_NAME, downMs });
  }

  /** A write that must survive a failover was confirmed by fewer replicas than asked for. */
  unreplicated(acknowledged: number, wanted: number): void {
    this.#logger.warn(`Redis at ${this.#where}: a write was confirmed by fewer replicas than waitForReplicas`, {
      transport: TRANSPORT_NAME,
      acknowledged,
      wanted,
    });
  }

  /**
   * Messages that an aborted receive had taken could not be handed back: they stay invisible until
   * their visibility timeout, and nobody receives them meanwhile.
   */
  releaseFailed(queue: string, messages: number, error: unknown): void {
    const failure = isMsgportError(error) ? { code: error.code, reason: error.message } : redisFailure(error);
    this.#logger.warn(
      'handing back what an aborted receive took failed; it stays invisible until its visibility timeout',
      {
        transport: TRANSPORT_NAME,
        queue,
        messages,
        code: failure?.code ?? 'Internal',
        error: failure?.reason ?? 'unclassified error',
      },
    );
  }

  /** The driver closes: its own disconnects are not losses. */
  closing(): void {
    this.#closing = true;
  }

  #detail(message: string, error: unknown, fields: Record<string, unknown> = {}): void {
    const reason = redisFailure(error)?.reason ?? 'unclassified error';
    this.#logger.debug(message, { transport: TRANSPORT_NAME, reason, ...fields });
  }
}
