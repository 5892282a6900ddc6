import { attachBrokerRuntime, BrokerRuntime } from './broker-runtime.js';
import type { Capabilities } from './capabilities.js';
import type { Codec } from './codecs.js';
import { DEFAULT_DEADLINES, type Deadlines, resolveDeadlines } from './deadlines.js';
import type { Driver } from './driver/driver.js';
import { DriverCaller, type RetryOptions } from './driver-call.js';
import { InvalidParameterError, QueueDoesNotExistError, UnsupportedCapabilityError } from './errors.js';
import { codecOption, queueHandleOptions } from './handle-options.js';
import { LIMITS } from './limits.js';
import type { Logger, LoggerOption } from './logging/logger.js';
import { resolveLogger } from './logging/resolve-logger.js';
import { Queue, type QueueHandleOptions } from './queue.js';
import { type CreateQueueOptions, resolveQueueConfig } from './queue-config.js';
import { Topic } from './topic.js';
import { type CreateTopicOptions, resolveTopicConfig } from './topic-config.js';
import { assertQueueName, assertTopicName } from './validation/names.js';
import { optionsObject } from './validation/options.js';
import { describe } from './validation/ranges.js';

export interface BrokerOptions {
  readonly retry?: RetryOptions;
  /** Where msgport reports failures nobody awaits (consumers, reconnects): default stderr, `false` silences. */
  readonly logger?: LoggerOption;
  /** Resolved by `connect()` from its options and the URL; defaults apply when absent. */
  readonly deadlines?: Deadlines;
}

export interface TopicHandleOptions<T> {
  readonly codec?: Codec<T>;
}

/** One connection to a transport: creates and opens queues and topics. */
export class Broker {
  readonly #caller: DriverCaller;
  /** Where this broker and its consumers report what no caller awaits. */
  readonly logger: Logger;
  readonly deadlines: Deadlines;
  readonly #runtime: BrokerRuntime;
  #closing: Promise<void> | undefined;

  constructor(driver: Driver, options?: BrokerOptions | null) {
    const given = optionsObject<BrokerOptions>('broker options', options);
    this.deadlines =
      given.deadlines === undefined
        ? DEFAULT_DEADLINES
        : resolveDeadlines(undefined, optionsObject('deadlines', given.deadlines));
    this.#caller = new DriverCaller(driver, {
      ...(given.retry !== undefined ? { retry: given.retry } : {}),
      deadlines: this.deadlines,
    });
    this.logger = resolveLogger(given.logger);
    this.#runtime = new BrokerRuntime(driver, this.logger);
    attachBrokerRuntime(this.#caller, this.#runtime);
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
    options?: (CreateQueueOptions & QueueHandleOptions<T>) | null,
  ): Promise<Queue<T>> {
    const { codec, unwrapEnvelopes, ...settings } = optionsObject('createQueue options', options);
    const handle = queueHandleOptions<T>({ codec, unwrapEnvelopes });
    const config = resolveQueueConfig(name, {
      ...settings,
      ...(settings.deadLetter !== undefined ? { deadLetter: optionsObject('deadLetter', settings.deadLetter) } : {}),
    });
    this.#caller.assertOpen('create a queue');
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
          // SQS answers a RedrivePolicy whose deadLetterTargetArn names no queue with InvalidParameterValue.
          if (error instanceof QueueDoesNotExistError) {
            throw new InvalidParameterError(`dead-letter queue "${deadLetter.queue}" does not exist; create it first`, {
              cause: error,
              transport: this.transport,
            });
          }
          throw error;
        });
    }
    await this.#caller.call('create queue', () => this.#caller.driver.createQueue(name, config));
    return new Queue(this.#caller, name, handle.codec, { ...handle, config });
  }

  /** A handle to an existing queue, without I/O; operations on a missing queue fail with `QueueDoesNotExist`. */
  queue<T = string>(name: string, options?: QueueHandleOptions<T> | null): Queue<T> {
    assertQueueName(name);
    const handle = queueHandleOptions<T>(optionsObject('queue options', options));
    return new Queue(this.#caller, name, handle.codec, handle);
  }

  async deleteQueue(name: string): Promise<void> {
    assertQueueName(name);
    await this.#caller.call('delete queue', () => this.#caller.driver.deleteQueue(name));
  }

  /** Queue names starting with `prefix` (all when absent). */
  async listQueues(prefix?: string | null): Promise<string[]> {
    const given = namePrefix('queue', prefix, LIMITS.queueNameMaxLength);
    return this.#caller.call('list queues', () => this.#caller.driver.listQueues(given));
  }

  async createTopic<T = string>(
    name: string,
    options?: (CreateTopicOptions & TopicHandleOptions<T>) | null,
  ): Promise<Topic<T>> {
    const { codec, ...settings } = optionsObject('createTopic options', options);
    const handleCodec = codecOption<T>(codec);
    const config = resolveTopicConfig(name, settings);
    this.#caller.assertOpen('create a topic');
    if (!this.capabilities.topics)
      throw new UnsupportedCapabilityError(`the ${this.transport} transport has no topics`);
    if (config.fifo && !this.capabilities.fifoTopics) {
      throw new UnsupportedCapabilityError(`the ${this.transport} transport has no FIFO topics`);
    }
    await this.#caller.call('create topic', () => this.#caller.driver.createTopic(name, config));
    return new Topic(this.#caller, name, handleCodec, config);
  }

  topic<T = string>(name: string, options?: TopicHandleOptions<T> | null): Topic<T> {
    assertTopicName(name);
    return new Topic(this.#caller, name, codecOption<T>(optionsObject('topic options', options).codec));
  }

  async deleteTopic(name: string): Promise<void> {
    assertTopicName(name);
    await this.#caller.call('delete topic', () => this.#caller.driver.deleteTopic(name));
  }

  /** Topic names starting with `prefix` (all when absent). */
  async listTopics(prefix?: string | null): Promise<string[]> {
    const given = namePrefix('topic', prefix, LIMITS.topicNameMaxLength);
    return this.#caller.call('list topics', () => this.#caller.driver.listTopics(given));
  }

  /**
   * The transport's own client, for what msgport does not cover. It is the real thing: it holds the
   * credentials it was built with, and what it throws or logs is not redacted by msgport.
   */
  native(): unknown {
    return this.#caller.driver.native?.();
  }

  /**
   * Stops this broker's consumers (gracefully: see `Consumer.stop`; each emits `stopped` with reason
   * `brokerClosed`), then closes the transport (within `callTimeoutMs`); later operations fail with
   * `Closed`. Closing twice is harmless.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (this.#caller.closed) return;
    await this.#runtime.stopConsumers();
    this.#caller.markClosed();
    await this.#caller.closeDriver();
  }
}

/** A `listQueues`/`listTopics` prefix: absent, or the start of a name (letters, digits, `-`, `_`, `.`). */
function namePrefix(kind: 'queue' | 'topic', prefix: unknown, maxLength: number): string | undefined {
  if (prefix === undefined || prefix === null || prefix === '') return undefined;
  if (typeof prefix !== 'string' || prefix.length > maxLength || !/^[A-Za-z0-9_.-]+$/.test(prefix)) {
    throw new InvalidParameterError(
      `a ${kind} name prefix must be up to ${maxLength} letters, digits, "-", "_" or ".", got ${describe(prefix)}`,
    );
  }
  return prefix;
}
