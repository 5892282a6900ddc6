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
  QueueConfig,
  SubscriptionConfig,
  TopicConfig,
} from '@msgport/core/driver';
import { redisCapabilities } from './capabilities.js';
import { classifyRedisError } from './classify-error.js';
import { isCluster, type RedisClient } from './connection.js';
import { type DriverContext, TRANSPORT_NAME } from './context.js';
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
  /** Close the client with the driver (true when the driver created it). */
  readonly ownsClient?: boolean;
}

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
  readonly #queues: RedisQueues;
  readonly #receiver: Receiver;
  readonly #topics: RedisTopics;

  constructor(settings: RedisDriverSettings) {
    this.client = settings.client;
    this.prefix = settings.prefix ?? DEFAULT_PREFIX;
    this.#ownsClient = settings.ownsClient ?? false;
    const context: DriverContext = {
      client: this.client,
      scripts: new ScriptRunner(this.client),
      keys: createKeySpace(this.prefix),
      cluster: isCluster(this.client),
    };
    this.#queues = new RedisQueues(context);
    this.#receiver = new Receiver(context, this.#queues);
    this.#topics = new RedisTopics(context, this.#queues);
  }

  createQueue(name: string, config: QueueConfig): Promise<void> {
    return this.#queues.createQueue(name, config);
  }

  deleteQueue(name: string): Promise<void> {
    return this.#queues.deleteQueue(name);
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

  /** Connects now; a lazily connecting client would otherwise connect on its first command. */
  async connect(): Promise<void> {
    if (this.client.status === 'wait') await this.client.connect();
    else await this.client.call('PING');
  }

  /** Ends long polls (`Closed`), drops blocking connections and, when the driver opened it, the client. */
  async close(): Promise<void> {
    this.#receiver.close();
    if (!this.#ownsClient) return;
    if (this.client.status === 'ready') await this.client.quit().catch(() => this.client.disconnect());
    else this.client.disconnect();
  }
}
