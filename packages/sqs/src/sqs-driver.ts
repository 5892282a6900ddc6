import { setMaxListeners } from 'node:events';
import {
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  type Capabilities,
  ClosedError,
  DEFAULT_DEADLINES,
  type Deadlines,
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
  type ErrorCode,
  QueueAlreadyExistsError,
  type QueueConfig,
  type SubscriptionConfig,
  sameQueueConfig,
  type TopicConfig,
  UnsupportedCapabilityError,
} from '@msgport/core/driver';
import { abandonOnAbort } from './abandon-on-abort.js';
import { fromEntryResults, fromSendResults } from './batch-results.js';
import { sqsCapabilities } from './capabilities.js';
import { classifyAwsError } from './classify-error.js';
import { requestTimeoutMs } from './clients.js';
import { fromSqsMessages, toSendEntry } from './message-mapping.js';
import { fromQueueAttributes, toQueueAttributes } from './queue-attributes.js';
import { listQueueNames, QueueUrlCache } from './queue-urls.js';
import { type MeterableClient, type MeterSnapshot, meterClient, RequestMeter } from './request-meter.js';
import type { SqsTopics, SqsTopicsFactory } from './sqs-topics.js';
import { TopicPermissions } from './topic-permissions.js';
import type { SqsConnectionOptions } from './url.js';

export const TRANSPORT_NAME = 'sqs';

export interface SqsDriverOptions {
  readonly sqs: SQSClient;
  /** Enables topics (`@msgport/sns` provides them); without it the driver has queues only. */
  readonly topics?: SqsTopicsFactory;
  /** Counts requests; a new meter by default. It is attached to every client as SDK middleware. */
  readonly meter?: RequestMeter;
  /** The broker's deadlines; a receive's request may take `callTimeoutMs` beyond its wait. */
  readonly deadlines?: Deadlines;
  /** Passed on to the topic factory (region, endpoints, credentials). */
  readonly connection?: SqsConnectionOptions;
  /** Passed on to the topic factory (`connect()`'s `transportOptions`). */
  readonly transportOptions?: Readonly<Record<string, unknown>>;
}

/** What `broker.native()` returns for this transport. */
export interface SqsNative {
  readonly sqs: SQSClient;
  /** The SNS client when the driver has topics (`@msgport/sns` types it as `SNSClient`). */
  readonly sns: object | undefined;
  readonly meter: RequestMeter;
}

/**
 * The sqs:// driver: Amazon SQS queues over `@aws-sdk/client-sqs` (JSON protocol), and topics when
 * `@msgport/sns` provides them (`SqsTopicsFactory`). Queue URLs are cached; every batch maps to one SQS batch request.
 */
export class SqsDriver implements Driver {
  readonly transport = TRANSPORT_NAME;
  readonly capabilities: Capabilities;
  readonly sqs: SQSClient;
  readonly meter: RequestMeter;
  readonly #topics: SqsTopics | undefined;
  readonly #urls: QueueUrlCache;
  readonly #closing = new AbortController();
  readonly #deadlines: Deadlines;

  constructor(options: SqsDriverOptions) {
    // every request listens on the closing signal; many run at once
    setMaxListeners(0, this.#closing.signal);
    this.sqs = options.sqs;
    this.meter = options.meter ?? new RequestMeter();
    this.#deadlines = options.deadlines ?? DEFAULT_DEADLINES;
    meterClient(this.sqs as unknown as MeterableClient, 'sqs', this.meter);
    this.#urls = new QueueUrlCache(this.sqs, TRANSPORT_NAME);
    this.#topics = options.topics?.({
      queues: new TopicPermissions(this.sqs, this.#urls),
      transport: TRANSPORT_NAME,
      meter: this.meter,
      connection: options.connection ?? {},
      deadlines: this.#deadlines,
      transportOptions: options.transportOptions ?? {},
    });
    this.capabilities = sqsCapabilities(this.#topics !== undefined);
  }

  /** API requests and messages so far: `requests.total / messages.deleted` is requests per processed message. */
  requestCounts(): MeterSnapshot {
    return this.meter.snapshot();
  }

  /** Runs an operation on the queue's URL; a missing queue is `QueueDoesNotExist` and leaves the cache. */
  async #onQueue<T>(name: string, run: (url: string, signal: AbortSignal) => Promise<T>) {
    const signal = this.#closing.signal;
    try {
      const url = await this.#urls.url(name, { abortSignal: signal });
      return await run(url, signal);
    } catch (error) {
      if (this.#closing.signal.aborted) {
        throw new ClosedError('the SQS request ended: the broker was closed', {
          cause: error,
          transport: this.transport,
        });
      }
      if (classifyAwsError(error) === 'QueueDoesNotExist') throw this.#urls.missing(name, error);
      throw error;
    }
  }

  async createQueue(name: string, config: QueueConfig): Promise<void> {
    const signal = this.#closing.signal;
    const deadLetterArn = config.deadLetter ? await this.#queueArn(config.deadLetter.queue) : undefined;
    const output = await this.sqs
      .send(new CreateQueueCommand({ QueueName: name, Attributes: toQueueAttributes(config, deadLetterArn) }), {
        abortSignal: signal,
      })
      .catch((error: unknown) => {
        if (classifyAwsError(error) === 'QueueAlreadyExists') throw this.#alreadyExists(name, error);
        throw error;
      });
    if (output.QueueUrl) this.#urls.remember(name, output.QueueUrl);
    // SQS compares only the attributes a CreateQueue names; compare the whole config as every transport does.
    const existing = await this.getQueue(name);
    if (!sameQueueConfig(existing.config, config)) throw this.#alreadyExists(name);
  }

  #queueArn(name: string): Promise<string> {
    return this.#onQueue(name, (_url, abortSignal) => this.#urls.arn(name, { abortSignal }));
  }

  #alreadyExists(name: string, cause?: unknown): QueueAlreadyExistsError {
    return new QueueAlreadyExistsError(`queue "${name}" already exists with different attributes`, {
      transport: this.transport,
      ...(cause !== undefined ? { cause } : {}),
    });
  }

  async deleteQueue(name: string): Promise<void> {
    await this.#onQueue(name, (QueueUrl, abortSignal) =>
      this.sqs.send(new DeleteQueueCommand({ QueueUrl }), { abortSignal }),
    );
    this.#urls.forget(name);
  }

  async listQueues(prefix = ''): Promise<string[]> {
    return listQueueNames(this.sqs, prefix, this.#closing.signal);
  }

  async getQueue(name: string): Promise<DriverQueueInfo> {
    const output = await this.#onQueue(name, (QueueUrl, abortSignal) =>
      this.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }), {
        abortSignal,
      }),
    );
    return fromQueueAttributes(output.Attributes ?? {});
  }

  async sendBatch(queue: string, entries: readonly DriverSendEntry[]): Promise<DriverBatchResult<DriverSendResult>> {
    const fifo = queue.endsWith('.fifo');
    const output = await this.#onQueue(queue, (QueueUrl, abortSignal) =>
      this.sqs.send(
        new SendMessageBatchCommand({ QueueUrl, Entries: entries.map((entry) => toSendEntry(entry, fifo)) }),
        { abortSignal },
      ),
    );
    const { digestMismatches, ...result } = fromSendResults(entries, output.Successful, output.Failed);
    this.meter.countMessages('sent', result.successful.length);
    this.meter.countMessages('digestMismatches', digestMismatches);
    return result;
  }

  /** ReceiveMessage (a long poll when `waitTimeSeconds` > 0). */
  async receive(queue: string, request: DriverReceiveRequest): Promise<DriverMessage[]> {
    const requestedAt = Date.now();
    const call = this.#onQueue(queue, (QueueUrl, abortSignal) =>
      this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: request.maxMessages,
          WaitTimeSeconds: request.waitTimeSeconds,
          ...(request.visibilityTimeoutSeconds !== undefined
            ? { VisibilityTimeout: request.visibilityTimeoutSeconds }
            : {}),
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        }),
        { abortSignal, requestTimeout: requestTimeoutMs(this.#deadlines, request.waitTimeSeconds * 1000) },
      ),
    );
    const signal = request.signal;
    const output = signal
      ? await abandonOnAbort(call, signal, this.transport, (late) => {
          const handles = (late.Messages ?? []).map((m) => ({ receiptHandle: m.ReceiptHandle ?? '' }));
          if (handles.length > 0 && !this.#closing.signal.aborted) void this.#release(queue, handles);
        })
      : await call;
    const { messages, corrupt } = fromSqsMessages(output.Messages, requestedAt);
    this.meter.countMessages('received', messages.length);
    if (corrupt.length > 0) {
      this.meter.countMessages('digestMismatches', corrupt.length);
      await this.#release(queue, corrupt);
    }
    return messages;
  }

  /**
   * A received message whose digests do not match was damaged on the way: it is not handed out but
   * made visible again at once, so a clean copy is received next (or, if the stored message itself
   * is damaged, it reaches the dead-letter queue through its receive count).
   */
  async #release(queue: string, messages: readonly { readonly receiptHandle: string }[]): Promise<void> {
    const Entries = messages.map((message, index) => ({
      Id: `c${index}`,
      ReceiptHandle: message.receiptHandle,
      VisibilityTimeout: 0,
    }));
    await this.#onQueue(queue, (QueueUrl, abortSignal) =>
      this.sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl, Entries }), { abortSignal }),
    ).catch(() => undefined);
  }

  async deleteBatch(
    queue: string,
    entries: readonly DriverReceiptEntry[],
  ): Promise<DriverBatchResult<DriverEntryResult>> {
    const output = await this.#onQueue(queue, (QueueUrl, abortSignal) =>
      this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl,
          Entries: entries.map((entry) => ({ Id: entry.id, ReceiptHandle: entry.receiptHandle })),
        }),
        { abortSignal },
      ),
    );
    const result = fromEntryResults(output.Successful, output.Failed);
    this.meter.countMessages('deleted', result.successful.length);
    return result;
  }

  async changeVisibilityBatch(
    queue: string,
    entries: readonly DriverVisibilityEntry[],
  ): Promise<DriverBatchResult<DriverEntryResult>> {
    const output = await this.#onQueue(queue, (QueueUrl, abortSignal) =>
      this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl,
          Entries: entries.map((entry) => ({
            Id: entry.id,
            ReceiptHandle: entry.receiptHandle,
            VisibilityTimeout: entry.visibilityTimeoutSeconds,
          })),
        }),
        { abortSignal },
      ),
    );
    return fromEntryResults(output.Successful, output.Failed);
  }

  /** PurgeQueue; SQS answers a second purge within 60 s with `PurgeQueueInProgress` (→ `PurgeInProgress`). */
  async purge(queue: string): Promise<void> {
    await this.#onQueue(queue, (QueueUrl, abortSignal) =>
      this.sqs.send(new PurgeQueueCommand({ QueueUrl }), { abortSignal }),
    );
  }

  #requireTopics(): SqsTopics {
    if (!this.#topics) {
      throw new UnsupportedCapabilityError(
        'this sqs:// broker has no topics: install @msgport/sns and import it before connecting',
        { transport: this.transport },
      );
    }
    return this.#topics;
  }

  async createTopic(name: string, config: TopicConfig): Promise<void> {
    await this.#requireTopics().createTopic(name, config);
  }

  async deleteTopic(name: string): Promise<void> {
    await this.#requireTopics().deleteTopic(name);
  }

  async getTopic(name: string): Promise<TopicConfig> {
    return this.#requireTopics().getTopic(name);
  }

  async listTopics(prefix?: string): Promise<string[]> {
    return this.#requireTopics().listTopics(prefix);
  }

  async subscribe(topic: string, queue: string, config: SubscriptionConfig): Promise<string> {
    const topics = this.#requireTopics();
    try {
      return await topics.subscribe(topic, queue, config);
    } catch (error) {
      if (this.classifyError(error) === 'QueueDoesNotExist') throw this.#urls.missing(queue, error);
      throw error;
    }
  }

  async unsubscribe(subscriptionId: string): Promise<void> {
    await this.#requireTopics().unsubscribe(subscriptionId);
  }

  async listSubscriptions(topic: string): Promise<DriverSubscription[]> {
    return this.#requireTopics().listSubscriptions(topic);
  }

  async publishBatch(
    topic: string,
    entries: readonly DriverPublishEntry[],
  ): Promise<DriverBatchResult<DriverSendResult>> {
    return this.#requireTopics().publishBatch(topic, entries);
  }

  classifyError(error: unknown): ErrorCode | undefined {
    const topics = this.#topics;
    return classifyAwsError(error, topics && ((code) => topics.errorCode(code)));
  }

  native(): SqsNative {
    return { sqs: this.sqs, sns: this.#topics?.client, meter: this.meter };
  }

  async close(): Promise<void> {
    this.#closing.abort();
    this.#topics?.close();
    this.sqs.destroy();
  }
}
