import type {
  Capabilities,
  Driver,
  DriverBatchResult,
  DriverEntryResult,
  DriverMessage,
  DriverPublishEntry,
  DriverQueueInfo,
  DriverReceiptEntry,
  DriverReceiveRequest,
  DriverSendEntry,
  DriverSendResult,
  DriverSubscription,
  DriverVisibilityEntry,
  ErrorCode,
  Logger,
  QueueConfig,
  SubscriptionConfig,
  TopicConfig,
} from '@msgport/core/driver';
import { DEFAULT_DEADLINES, silentLogger } from '@msgport/core/driver';
import { RedisCalls } from './calls.js';
import { redisCapabilities } from './capabilities.js';
import { classifyRedisError } from './classify-error.js';
import { isCluster, type RedisClient } from './connection.js';
import { ConnectionLog } from './connection-log.js';
import { type DriverContext, TRANSPORT_NAME } from './context.js';
import type { Endpoint } from './failure-error.js';
import { createKeySpace } from './keys.js';
import { RedisQueues } from './queue-ops.js';
import { Receiver } from './receiver.js';
import { ScriptRunner } from './script-runner.js';
import { RedisTopics } from './topic-ops.js';

export const DEFAULT_PREFIX = 'msgport:';

export interface RedisDriverSettings {
  readonly client: RedisClient;
  /** Prefix of every key (default `msgport:`); must not contain `{` or `}`. */
  readonly prefix?: string;
  /** The driver created the client: it connects it, reports its connection losses and closes it. */
  readonly ownsClient?: boolean;
  /** Where the client connects and the deadlines, for messages and bounds. */
  readonly endpoint?: Endpoint;
  /** How long calls retry through a failover (see `failover-window.ts`). Default 0. */
  readonly failoverWindowMs?: number;
  /** Replicas that must confirm writes that a failover must not lose (see `ReplicaAcks`). Default 0. */
  readonly waitForReplicas?: number;
  /** Where connection loss and recovery are reported. Default: nowhere. */
  readonly logger?: Logger;
}

/** WAIT gives up after this long (or the call timeout if shorter): the write is on the primary. */
const REPLICA_WAIT_MS = 1_000;

/**
 * The Redis driver: SQS queue semantics and SNS topics in Lua scripts, one per state transition,
 * on a single Redis ≥ 7.0 or a Redis Cluster. See docs/transports/redis.md for the design.
 */
export class RedisDriver implements Driver {
  readonly transport = TRANSPORT_NAME;
  readonly capabilities: Capabilities = redisCapabilities;
  readonly client: RedisClient;
  readonly prefix: string;
  readonly #ownsClient: boolean;
  readonly #calls: RedisCalls;
  readonly #log: ConnectionLog | undefined;
  readonly #queues: RedisQueues;
  readonly #receiver: Receiver;
  readonly #topics: RedisTopics;

  constructor(settings: RedisDriverSettings) {
    this.client = settings.client;
    this.prefix = settings.prefix ?? DEFAULT_PREFIX;
    this.#ownsClient = settings.ownsClient ?? false;
    const endpoint = settings.endpoint ?? { where: 'Redis', db: 0, ...DEFAULT_DEADLINES };
    const log = new ConnectionLog(settings.logger ?? silentLogger, endpoint.where);
    if (this.#ownsClient) {
      this.#log = log;
      log.watch(this.client);
    }
    const replicas = settings.waitForReplicas ?? 0;
    const acks = {
      replicas,
      timeoutMs: Math.min(REPLICA_WAIT_MS, endpoint.callTimeoutMs),
      shortfall: (acknowledged: number) => log.unreplicated(acknowledged, replicas),
    };
    this.#calls = new RedisCalls({
      client: this.client,
      endpoint,
      failoverWindowMs: settings.failoverWindowMs ?? 0,
      log: this.#log,
      connects: this.#ownsClient,
    });
    const context: DriverContext = {
      client: this.client,
      calls: this.#calls,
      scripts: new ScriptRunner(this.client, this.#calls, acks),
      keys: createKeySpace(this.prefix),
      cluster: isCluster(this.client),
    };
    this.#queues = new RedisQueues(context);
    this.#receiver = new Receiver(context, this.#queues, log);
    this.#topics = new RedisTopics(context, this.#queues);
  }

  createQueue(name: string, config: QueueConfig): Promise<void> {
    return this.#queues.createQueue(name, config);
  }

  async deleteQueue(name: string): Promise<void> {
    await this.#queues.deleteQueue(name);
    await this.#receiver.forget(name);
  }

  listQueues(prefix?: string): Promise<string[]> {
    return this.#queues.listQueues(prefix);
  }

  getQueue(name: string): Promise<DriverQueueInfo> {
    return this.#queues.getQueue(name);
  }

  sendBatch(queue: string, entries: readonly DriverSendEntry[]): Promise<DriverBatchResult<DriverSendResult>> {
    return this.#queues.sendBatch(queue, entries);
  }

  receive(queue: string, request: DriverReceiveRequest): Promise<DriverMessage[]> {
    return this.#receiver.receive(queue, request);
  }

  deleteBatch(queue: string, entries: readonly DriverReceiptEntry[]): Promise<DriverBatchResult<DriverEntryResult>> {
    return this.#queues.deleteBatch(queue, entries);
  }

  changeVisibilityBatch(
    queue: string,
    entries: readonly DriverVisibilityEntry[],
  ): Promise<DriverBatchResult<DriverEntryResult>> {
    return this.#queues.changeVisibilityBatch(queue, entries);
  }

  purge(queue: string): Promise<void> {
    return this.#queues.purge(queue);
  }

  createTopic(name: string, config: TopicConfig): Promise<void> {
    return this.#topics.createTopic(name, config);
  }

  deleteTopic(name: string): Promise<void> {
    return this.#topics.deleteTopic(name);
  }

  getTopic(name: string): Promise<TopicConfig> {
    return this.#topics.getTopic(name);
  }

  listTopics(prefix?: string): Promise<string[]> {
    return this.#topics.listTopics(prefix);
  }

  subscribe(topic: string, queue: string, config: SubscriptionConfig): Promise<string> {
    return this.#topics.subscribe(topic, queue, config);
  }

  unsubscribe(subscriptionId: string): Promise<void> {
    return this.#topics.unsubscribe(subscriptionId);
  }

  listSubscriptions(topic: string): Promise<DriverSubscription[]> {
    return this.#topics.listSubscriptions(topic);
  }

  publishBatch(topic: string, entries: readonly DriverPublishEntry[]): Promise<DriverBatchResult<DriverSendResult>> {
    return this.#topics.publishBatch(topic, entries);
  }

  classifyError(error: unknown): ErrorCode | undefined {
    return classifyRedisError(error);
  }

  /** The ioredis client (`Redis` or `Cluster`). */
  native(): RedisClient {
    return this.client;
  }

  /**
   * Connects now, within the connect deadline, failing fast and typed (`Unavailable`,
   * `PermissionDenied`, `InvalidParameter`, `Timeout`); a lazily connecting driver would
   * otherwise connect on its first call.
   */
  async connect(): Promise<void> {
    if (this.#ownsClient) return this.#calls.connect();
    if (this.client.status === 'wait') await this.client.connect();
    else await this.client.call('PING');
  }

  /** Ends long polls (`Closed`), drops blocking connections and, when the driver opened it, the client. */
  async close(): Promise<void> {
    this.#calls.close();
    this.#log?.closing();
    this.#receiver.close();
    if (!this.#ownsClient) return;
    if (this.client.status === 'ready') await this.client.quit().catch(() => this.client.disconnect());
    else this.client.disconnect();
  }
}
