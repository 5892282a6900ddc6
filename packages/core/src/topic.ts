import { chunkEntries } from './batching.js';
import type { Codec } from './codecs.js';
import type { DriverSendResult, DriverSubscription } from './driver/driver.js';
import type { DriverCaller } from './driver-call.js';
import { createError, InvalidParameterError, UnsupportedCapabilityError } from './errors.js';
import { LIMITS } from './limits.js';
import { encodeBody, type PublishOptions, preparePublishEntry, sendEntrySize } from './prepare-entries.js';
import { Queue } from './queue.js';
import type { BatchResult } from './run-batch.js';
import { runBatch } from './run-batch.js';
import { resolveSubscriptionConfig, type SubscribeOptions, type TopicConfig } from './topic-config.js';
import { traceSend } from './tracing/messaging-spans.js';
import { assertBatchEntryIds } from './validation/batch.js';
import { assertQueueName, isFifoName } from './validation/names.js';
import { optionalBoolean, optionsObject } from './validation/options.js';
import { describe } from './validation/ranges.js';

export interface PublishBatchEntry<T> extends PublishOptions {
  readonly id: string;
  readonly body: T;
}

export interface PublishResult {
  readonly messageId: string;
  readonly sequenceNumber?: string;
}

export interface Subscription extends DriverSubscription {
  unsubscribe(): Promise<void>;
}

/** A topic with SNS fan-out semantics. Obtain it from `broker.createTopic` or `broker.topic`. */
export class Topic<T = string> {
  readonly name: string;
  readonly fifo: boolean;
  readonly #caller: DriverCaller;
  readonly #codec: Codec<T>;
  readonly #config: TopicConfig | undefined;

  /** @internal Use `broker.topic()` or `broker.createTopic()`. */
  constructor(caller: DriverCaller, name: string, codec: Codec<T>, config?: TopicConfig) {
    this.#caller = caller;
    this.name = name;
    this.fifo = isFifoName(name);
    this.#codec = codec;
    this.#config = config;
  }

  get #driver() {
    return this.#caller.driver;
  }

  async publish(body: T, options?: PublishOptions | null): Promise<PublishResult> {
    const result = await this.publishBatch([{ ...optionsObject('publish options', options), id: 'm', body }]);
    const failure = result.failed[0];
    if (failure) throw createError(failure.code, failure.message, { transport: this.#driver.transport });
    const sent = result.successful[0] as DriverSendResult;
    return {
      messageId: sent.messageId,
      ...(sent.sequenceNumber !== undefined ? { sequenceNumber: sent.sequenceNumber } : {}),
    };
  }

  publishBatch(entries: readonly PublishBatchEntry<T>[]): Promise<BatchResult<DriverSendResult>> {
    return traceSend(
      { name: this.name, transport: this.#driver.transport, kind: 'topic' },
      Array.isArray(entries) ? entries.length : 0,
      () => this.#publishBatch(entries),
      (result) => result.successful[0]?.messageId,
    );
  }

  async #publishBatch(entries: readonly PublishBatchEntry<T>[]): Promise<BatchResult<DriverSendResult>> {
    this.#caller.assertOpen('publish');
    // Bad ids are reported as themselves, before the topic's config is read.
    assertBatchEntryIds(entries);
    // Content-based deduplication is a topic setting; without a cached config core asks the driver.
    const config = this.#config ?? { fifo: this.fifo, contentBasedDeduplication: await this.#contentBased() };
    return runBatch({
      entries,
      prepare: (entry) => {
        const { id, body, ...options } = entry;
        return preparePublishEntry(id, encodeBody(this.#codec, body), options, config);
      },
      chunk: (prepared) =>
        chunkEntries(prepared, this.#driver.capabilities.maxBatchSize, sendEntrySize, LIMITS.topicMessageBytesMax),
      execute: (chunk) => this.#caller.call('publish', () => this.#driver.publishBatch(this.name, chunk)),
      wrap: (error) => this.#caller.wrap('publish', error),
    });
  }

  async #contentBased(): Promise<boolean> {
    if (!this.fifo) return false;
    const config = await this.#caller.call('get topic', () => this.#driver.getTopic(this.name));
    return config.contentBasedDeduplication;
  }

  /** Subscribes a queue; every matching publish is delivered to it once. */
  async subscribe(queue: string | Queue<unknown>, options?: SubscribeOptions | null): Promise<Subscription> {
    const queueName = typeof queue === 'string' ? queue : queue instanceof Queue ? queue.name : undefined;
    if (queueName === undefined) {
      throw new InvalidParameterError(`subscribe needs a queue name or a Queue, got ${describe(queue)}`);
    }
    assertQueueName(queueName);
    const given = optionsObject('subscribe options', options);
    const rawMessageDelivery = optionalBoolean('rawMessageDelivery', given.rawMessageDelivery);
    const config = resolveSubscriptionConfig({
      ...given,
      ...(rawMessageDelivery !== undefined ? { rawMessageDelivery } : {}),
    });
    const caps = this.#driver.capabilities;
    if (!caps.topics) throw new UnsupportedCapabilityError(`the ${this.#driver.transport} transport has no topics`);
    if (config.rawMessageDelivery && !caps.rawDelivery) {
      throw new UnsupportedCapabilityError(`the ${this.#driver.transport} transport cannot deliver raw messages`);
    }
    if (config.filterPolicy !== undefined && !caps.filterPolicyScopes.includes(config.filterPolicyScope)) {
      throw new UnsupportedCapabilityError(
        `the ${this.#driver.transport} transport cannot filter on ${config.filterPolicyScope}`,
      );
    }
    if (!this.fifo && isFifoName(queueName)) {
      throw new InvalidParameterError(`a standard topic cannot deliver to the FIFO queue "${queueName}" (as on SNS)`);
    }
    const id = await this.#caller.call('subscribe', () => this.#driver.subscribe(this.name, queueName, config));
    return this.#subscription({ id, topic: this.name, queue: queueName, ...config });
  }

  async unsubscribe(subscriptionId: string): Promise<void> {
    if (typeof subscriptionId !== 'string' || subscriptionId.length === 0) {
      throw new InvalidParameterError('unsubscribe needs a subscription id');
    }
    await this.#caller.call('unsubscribe', () => this.#driver.unsubscribe(subscriptionId));
  }

  async listSubscriptions(): Promise<Subscription[]> {
    const list = await this.#caller.call('list subscriptions', () => this.#driver.listSubscriptions(this.name));
    return list.map((subscription) => this.#subscription(subscription));
  }

  #subscription(subscription: DriverSubscription): Subscription {
    return { ...subscription, unsubscribe: () => this.unsubscribe(subscription.id) };
  }
}
