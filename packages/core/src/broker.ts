import type { Capabilities } from './capabilities.js';
import { type Codec, textCodec } from './codecs.js';
import type { Driver } from './driver/driver.js';
import { DriverCaller, type RetryOptions } from './driver-call.js';
import { QueueDoesNotExistError, UnsupportedCapabilityError } from './errors.js';
import { Queue, type QueueHandleOptions } from './queue.js';
import { type CreateQueueOptions, resolveQueueConfig } from './queue-config.js';
import { Topic } from './topic.js';
import { type CreateTopicOptions, resolveTopicConfig } from './topic-config.js';
import { assertQueueName, assertTopicName } from './validation/names.js';

export interface BrokerOptions {
  readonly retry?: RetryOptions;
}

export interface TopicHandleOptions<T> {
  readonly codec?: Codec<T>;
}

/** One connection to a transport: creates and opens queues and topics. */
export class Broker {
  readonly #caller: DriverCaller;

  constructor(driver: Driver, options: BrokerOptions = {}) {
    this.#caller = new DriverCaller(driver, options.retry);
  }

  get transport(): string {
    return this.#caller.driver.transport;
  }

  get capabilities(): Capabilities {
    return this.#caller.driver.capabilities;
  }

  get closed(): boolean {
    return this.#caller.closed;
  }

  /** Creates the queue (idempotent for identical options) and returns its handle. */
  async createQueue<T = string>(
    name: string,
    options: CreateQueueOptions & QueueHandleOptions<T> = {},
  ): Promise<Queue<T>> {
    this.#caller.assertOpen('create a queue');
    const config = resolveQueueConfig(name, options);
    const caps = this.capabilities;
    if (config.fifo && !caps.fifo) {
      throw new UnsupportedCapabilityError(`the ${this.transport} transport has no FIFO queues`);
    }
    if (config.deadLetter && !caps.deadLetter) {
      throw new UnsupportedCapabilityError(`the ${this.transport} transport has no dead-letter queues`);
    }
    if (config.delaySeconds > 0 && (!caps.delay || config.delaySeconds > caps.maxDelaySeconds)) {
      throw new UnsupportedCapabilityError(
        `the ${this.transport} transport delays messages by at most ${caps.maxDelaySeconds} s`,
      );
    }
    const deadLetter = config.deadLetter;
    if (deadLetter) {
      await this.#caller
        .call('check the dead-letter queue', () => this.#caller.driver.getQueue(deadLetter.queue))
        .catch((error: unknown) => {
          if (error instanceof QueueDoesNotExistError) {
            throw new QueueDoesNotExistError(
              `dead-letter queue "${deadLetter.queue}" does not exist; create it first`,
              {
                cause: error,
                transport: this.transport,
              },
            );
          }
          throw error;
        });
    }
    await this.#caller.call('create queue', () => this.#caller.driver.createQueue(name, config));
    return new Queue(this.#caller, name, options.codec ?? (textCodec as unknown as Codec<T>), {
      config,
      ...(options.unwrapEnvelopes !== undefined ? { unwrapEnvelopes: options.unwrapEnvelopes } : {}),
    });
  }

  /** A handle to an existing queue, without I/O; operations on a missing queue fail with `QueueDoesNotExist`. */
  queue<T = string>(name: string, options: QueueHandleOptions<T> = {}): Queue<T> {
    assertQueueName(name);
    return new Queue(this.#caller, name, options.codec ?? (textCodec as unknown as Codec<T>), {
      ...(options.unwrapEnvelopes !== undefined ? { unwrapEnvelopes: options.unwrapEnvelopes } : {}),
    });
  }

  async deleteQueue(name: string): Promise<void> {
    assertQueueName(name);
    await this.#caller.call('delete queue', () => this.#caller.driver.deleteQueue(name));
  }

  async listQueues(prefix?: string): Promise<string[]> {
    return this.#caller.call('list queues', () => this.#caller.driver.listQueues(prefix));
  }

  async createTopic<T = string>(
    name: string,
    options: CreateTopicOptions & TopicHandleOptions<T> = {},
  ): Promise<Topic<T>> {
    this.#caller.assertOpen('create a topic');
    const config = resolveTopicConfig(name, options);
    if (!this.capabilities.topics)
      throw new UnsupportedCapabilityError(`the ${this.transport} transport has no topics`);
    if (config.fifo && !this.capabilities.fifoTopics) {
      throw new UnsupportedCapabilityError(`the ${this.transport} transport has no FIFO topics`);
    }
    await this.#caller.call('create topic', () => this.#caller.driver.createTopic(name, config));
    return new Topic(this.#caller, name, options.codec ?? (textCodec as unknown as Codec<T>), config);
  }

  topic<T = string>(name: string, options: TopicHandleOptions<T> = {}): Topic<T> {
    assertTopicName(name);
    return new Topic(this.#caller, name, options.codec ?? (textCodec as unknown as Codec<T>));
  }

  async deleteTopic(name: string): Promise<void> {
    assertTopicName(name);
    await this.#caller.call('delete topic', () => this.#caller.driver.deleteTopic(name));
  }

  async listTopics(prefix?: string): Promise<string[]> {
    return this.#caller.call('list topics', () => this.#caller.driver.listTopics(prefix));
  }

  /** The transport's own client, for what msgport does not cover. */
  native(): unknown {
    return this.#caller.driver.native?.();
  }

  /** Closes the transport; later operations fail with `Closed`. Closing twice is harmless. */
  async close(): Promise<void> {
    if (this.#caller.closed) return;
    this.#caller.markClosed();
    await this.#caller.driver.close();
  }
}
