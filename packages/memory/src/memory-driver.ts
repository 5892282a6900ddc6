import { setMaxListeners } from 'node:events';
import {
  type Capabilities,
  type Driver,
  type DriverBatchResult,
  type DriverEntryResult,
  type DriverMessage,
  type DriverPublishEntry,
  type DriverQueueInfo,
  type DriverReceiptEntry,
  type DriverReceiveRequest,
  type DriverSendEntry,
  type DriverSendResult,
  type DriverSubscription,
  type DriverVisibilityEntry,
  eachEntry,
  InvalidParameterError,
  QueueAlreadyExistsError,
  type QueueConfig,
  QueueDoesNotExistError,
  type SubscriptionConfig,
  SubscriptionDoesNotExistError,
  sameQueueConfig,
  sameTopicConfig,
  type TopicConfig,
  TopicDoesNotExistError,
  topicOfSubscriptionArn,
} from '@msgport/core/driver';
import { memoryCapabilities } from './capabilities.js';
import { MemoryQueue } from './memory-queue.js';
import type { MemoryStore } from './memory-store.js';
import { MemoryTopic } from './memory-topic.js';

export const TRANSPORT_NAME = 'memory';

/** The in-memory driver: exact SQS/SNS semantics over a `MemoryStore`, synchronous underneath. */
export class MemoryDriver implements Driver {
  readonly transport = TRANSPORT_NAME;
  /** Every call completes in-process (a long poll is bounded by the clock), so core adds no deadline bookkeeping. */
  readonly local = true;
  readonly capabilities: Capabilities = memoryCapabilities;
  readonly store: MemoryStore;
  readonly #closing = new AbortController();

  constructor(store: MemoryStore) {
    this.store = store;
    // Every pending long poll listens for close; there may be thousands.
    setMaxListeners(0, this.#closing.signal);
  }

  #queue(name: string): MemoryQueue {
    const queue = this.store.queues.get(name);
    if (!queue) throw new QueueDoesNotExistError(`queue "${name}" does not exist`, { transport: TRANSPORT_NAME });
    return queue;
  }

  #topic(name: string): MemoryTopic {
    const topic = this.store.topics.get(name);
    if (!topic) throw new TopicDoesNotExistError(`topic "${name}" does not exist`, { transport: TRANSPORT_NAME });
    return topic;
  }

  readonly #lookup = (name: string) => this.store.queues.get(name);

  async createQueue(name: string, config: QueueConfig): Promise<void> {
    const existing = this.store.queues.get(name);
    if (existing) {
      if (sameQueueConfig(existing.config, config)) return;
      throw new QueueAlreadyExistsError(`queue "${name}" already exists with different attributes`, {
        transport: TRANSPORT_NAME,
      });
    }
    this.store.queues.set(name, new MemoryQueue(name, config, this.store.clock, this.#lookup));
  }

  async deleteQueue(name: string): Promise<void> {
    const queue = this.#queue(name);
    this.store.queues.delete(name);
    queue.dispose();
  }

  async listQueues(prefix = ''): Promise<string[]> {
    return [...this.store.queues.keys()].filter((name) => name.startsWith(prefix)).sort();
  }

  async getQueue(name: string): Promise<DriverQueueInfo> {
    const queue = this.#queue(name);
    return { config: queue.config, stats: queue.stats() };
  }

  async sendBatch(
    queueName: string,
    entries: readonly DriverSendEntry[],
  ): Promise<DriverBatchResult<DriverSendResult>> {
    return { successful: this.#queue(queueName).sendBatch(entries), failed: [] };
  }

  async receive(queueName: string, request: DriverReceiveRequest): Promise<DriverMessage[]> {
    return this.#queue(queueName).receive(request, this.#closing.signal);
  }

  async deleteBatch(
    queueName: string,
    entries: readonly DriverReceiptEntry[],
  ): Promise<DriverBatchResult<DriverEntryResult>> {
    const queue = this.#queue(queueName);
    return eachEntry(entries, (entry) => {
      queue.delete(entry.receiptHandle);
      return { id: entry.id };
    });
  }

  async changeVisibilityBatch(
    queueName: string,
    entries: readonly DriverVisibilityEntry[],
  ): Promise<DriverBatchResult<DriverEntryResult>> {
    const queue = this.#queue(queueName);
    return eachEntry(entries, (entry) => {
      queue.changeVisibility(entry.receiptHandle, entry.visibilityTimeoutSeconds);
      return { id: entry.id };
    });
  }

  async purge(queueName: string): Promise<void> {
    this.#queue(queueName).purge();
  }

  async createTopic(name: string, config: TopicConfig): Promise<void> {
    const existing = this.store.topics.get(name);
    if (existing) {
      if (sameTopicConfig(existing.config, config)) return;
      throw new InvalidParameterError(`topic "${name}" already exists with different attributes`, {
        transport: TRANSPORT_NAME,
      });
    }
    this.store.topics.set(name, new MemoryTopic(name, config, this.store.clock));
  }

  async deleteTopic(name: string): Promise<void> {
    this.store.topics.delete(name);
  }

  async getTopic(name: string): Promise<TopicConfig> {
    return this.#topic(name).config;
  }

  async listTopics(prefix = ''): Promise<string[]> {
    return [...this.store.topics.keys()].filter((name) => name.startsWith(prefix)).sort();
  }

  async subscribe(topicName: string, queueName: string, config: SubscriptionConfig): Promise<string> {
    const topic = this.#topic(topicName);
    this.#queue(queueName);
    const existing = topic.subscriptions().filter((subscription) => subscription.queue === queueName);
    if (existing.length === 0) return topic.subscribe(queueName, config);
    const same = topic.findSubscription(queueName, config);
    if (same) return same.id;
    throw new InvalidParameterError(
      `queue "${queueName}" is already subscribed to topic "${topicName}" with different options; unsubscribe it first`,
      { transport: TRANSPORT_NAME },
    );
  }

  async unsubscribe(subscriptionId: string): Promise<void> {
    const topic = this.store.topics.get(topicOfSubscriptionArn(subscriptionId) ?? '');
    if (topic?.unsubscribe(subscriptionId)) return;
    throw new SubscriptionDoesNotExistError(`subscription "${subscriptionId}" does not exist`, {
      transport: TRANSPORT_NAME,
    });
  }

  async listSubscriptions(topicName: string): Promise<DriverSubscription[]> {
    return this.#topic(topicName).subscriptions();
  }

  async publishBatch(
    topicName: string,
    entries: readonly DriverPublishEntry[],
  ): Promise<DriverBatchResult<DriverSendResult>> {
    const topic = this.#topic(topicName);
    const successful = entries.map((entry) => topic.publish(entry, this.#lookup));
    return { successful, failed: [] };
  }

  native(): MemoryStore {
    return this.store;
  }

  async close(): Promise<void> {
    this.#closing.abort();
  }
}
