import { setMaxListeners } from 'node:events';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  PublishBatchCommand,
  type SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  AbortedError,
  ClosedError,
  type DriverBatchResult,
  type DriverPublishEntry,
  type DriverSendResult,
  type DriverSubscription,
  type ErrorCode,
  type SubscriptionConfig,
  SubscriptionDoesNotExistError,
  type TopicConfig,
  TopicDoesNotExistError,
} from '@msgport/core/driver';
import { awsErrorCodes, type QueueEndpoints, type RequestMeter, type SqsTopics } from '@msgport/sqs';
import { fromPublishBatch, toPublishEntry } from './publish-entries.js';
import { snsErrorCode } from './sns-error-codes.js';
import { fromSubscriptionAttributes, toSubscriptionAttributes } from './subscription-attributes.js';
import { nameOfArn, TopicArns } from './topic-arns.js';

export interface SnsTopicsOptions {
  readonly client: SNSClient;
  readonly queues: QueueEndpoints;
  /** Transport name put on errors; default `sqs` (topics are part of the sqs:// transport). */
  readonly transport?: string;
  /** Counts published messages (the driver's request meter). */
  readonly counter?: Pick<RequestMeter, 'countMessages'>;
}

const NOT_FOUND = new Set(['NotFound', 'NotFoundException']);
const SUBSCRIPTION_ARN = /^arn:[^:]+:sns:[^:]*:[^:]*:[^:]+:[^:]+$/;

function isNotFound(error: unknown): boolean {
  return awsErrorCodes(error).some((code) => NOT_FOUND.has(code));
}

/**
 * The topic half of the sqs:// driver: SNS topics whose subscriptions are SQS queues. Implements the
 * topic operations of the msgport driver SPI; the SQS driver delegates to it.
 */
export class SnsTopics implements SqsTopics {
  readonly client: SNSClient;
  readonly #queues: QueueEndpoints;
  readonly #transport: string;
  readonly #counter: Pick<RequestMeter, 'countMessages'> | undefined;
  readonly #arns = new TopicArns();
  readonly #closing = new AbortController();

  constructor(options: SnsTopicsOptions) {
    setMaxListeners(0, this.#closing.signal);
    this.client = options.client;
    this.#queues = options.queues;
    this.#transport = options.transport ?? 'sqs';
    this.#counter = options.counter;
  }

  get #signal(): AbortSignal {
    return this.#closing.signal;
  }

  #topicMissing(name: string, cause?: unknown): TopicDoesNotExistError {
    this.#arns.forget(name);
    return new TopicDoesNotExistError(`topic "${name}" does not exist`, {
      transport: this.#transport,
      ...(cause !== undefined ? { cause } : {}),
    });
  }

  /** Rejects with a typed error when the call was cut short by close(). */
  #rethrow(error: unknown): never {
    if (this.#closing.signal.aborted) {
      throw new ClosedError('the SNS request ended: the broker was closed', {
        cause: error,
        transport: this.#transport,
      });
    }
    if (error instanceof Error && error.name === 'AbortError') {
      throw new AbortedError('the SNS request was aborted', { cause: error, transport: this.#transport });
    }
    throw error;
  }

  /** Runs `call` on the topic's ARN, turning NotFound into `TopicDoesNotExist`. */
  async #onTopic<T>(name: string, call: (arn: string) => Promise<T>): Promise<T> {
    const arn = await this.#arns.resolve(name, () => this.#listTopicArns());
    if (arn === undefined) throw this.#topicMissing(name);
    try {
      return await call(arn);
    } catch (error) {
      if (isNotFound(error)) throw this.#topicMissing(name, error);
      return this.#rethrow(error);
    }
  }

  async #listTopicArns(): Promise<string[]> {
    const arns: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.client
        .send(new ListTopicsCommand(NextToken ? { NextToken } : {}), { abortSignal: this.#signal })
        .catch((error: unknown) => this.#rethrow(error));
      for (const topic of page.Topics ?? []) if (topic.TopicArn) arns.push(topic.TopicArn);
      NextToken = page.NextToken;
    } while (NextToken);
    return arns;
  }

  async createTopic(name: string, config: TopicConfig): Promise<void> {
    const Attributes: Record<string, string> = config.fifo
      ? { FifoTopic: 'true', ContentBasedDeduplication: String(config.contentBasedDeduplication) }
      : {};
    const output = await this.client
      .send(new CreateTopicCommand({ Name: name, Attributes }), { abortSignal: this.#signal })
      .catch((error: unknown) => this.#rethrow(error));
    if (output.TopicArn) this.#arns.learn(output.TopicArn);
  }

  async deleteTopic(name: string): Promise<void> {
    const arn = await this.#arns.resolve(name, () => this.#listTopicArns());
    if (arn === undefined) return;
    await this.client
      .send(new DeleteTopicCommand({ TopicArn: arn }), { abortSignal: this.#signal })
      .catch((error: unknown) => (isNotFound(error) ? undefined : this.#rethrow(error)));
    this.#arns.forget(name);
  }

  async getTopic(name: string): Promise<TopicConfig> {
    const attributes = await this.#onTopic(name, async (TopicArn) => {
      const output = await this.client.send(new GetTopicAttributesCommand({ TopicArn }), { abortSignal: this.#signal });
      return output.Attributes ?? {};
    });
    const fifo = attributes.FifoTopic === 'true';
    return { fifo, contentBasedDeduplication: fifo && attributes.ContentBasedDeduplication === 'true' };
  }

  async listTopics(prefix = ''): Promise<string[]> {
    const arns = await this.#listTopicArns();
    for (const arn of arns) this.#arns.learn(arn);
    return arns
      .map(nameOfArn)
      .filter((name) => name.startsWith(prefix))
      .sort();
  }

  /**
   * Subscribes the queue: first the queue policy lets the topic send to it, then the SQS
   * subscription is created with raw delivery and the filter policy as subscription attributes.
   * An identical subscription returns its existing ARN (SNS Subscribe is idempotent); the same
   * queue with different settings is rejected by SNS with InvalidParameter.
   */
  async subscribe(topicName: string, queueName: string, config: SubscriptionConfig): Promise<string> {
    // The topic must exist before the queue policy names it (an ARN may be derived, not looked up).
    const topicArn = await this.#onTopic(topicName, async (TopicArn) => {
      await this.client.send(new GetTopicAttributesCommand({ TopicArn }), { abortSignal: this.#signal });
      return TopicArn;
    });
    const queueArn = await this.#queues.queueArn(queueName, this.#signal);
    await this.#queues.allowTopic(queueName, topicArn, this.#signal);
    return this.#onTopic(topicName, async (TopicArn) => {
      const output = await this.client.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'sqs',
          Endpoint: queueArn,
          Attributes: toSubscriptionAttributes(config),
          ReturnSubscriptionArn: true,
        }),
        { abortSignal: this.#signal },
      );
      if (!output.SubscriptionArn) throw new Error(`SNS returned no subscription ARN for queue "${queueName}"`);
      return output.SubscriptionArn;
    });
  }

  async unsubscribe(subscriptionId: string): Promise<void> {
    const missing = () =>
      new SubscriptionDoesNotExistError(`subscription "${subscriptionId}" does not exist`, {
        transport: this.#transport,
      });
    if (!SUBSCRIPTION_ARN.test(subscriptionId)) throw missing();
    const SubscriptionArn = subscriptionId;
    try {
      // SNS Unsubscribe succeeds for unknown ARNs; looking first makes a wrong id an error, as on every transport.
      await this.client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }), { abortSignal: this.#signal });
      await this.client.send(new UnsubscribeCommand({ SubscriptionArn }), { abortSignal: this.#signal });
    } catch (error) {
      if (isNotFound(error)) throw missing();
      this.#rethrow(error);
    }
  }

  async listSubscriptions(topicName: string): Promise<DriverSubscription[]> {
    return this.#onTopic(topicName, async (TopicArn) => {
      // ListSubscriptionsByTopic may answer [] for a missing topic (fauxqs does); check it exists first.
      await this.client.send(new GetTopicAttributesCommand({ TopicArn }), { abortSignal: this.#signal });
      const subscriptions: DriverSubscription[] = [];
      let NextToken: string | undefined;
      do {
        const page = await this.client.send(
          new ListSubscriptionsByTopicCommand({ TopicArn, ...(NextToken ? { NextToken } : {}) }),
          { abortSignal: this.#signal },
        );
        for (const entry of page.Subscriptions ?? []) {
          const id = entry.SubscriptionArn;
          if (entry.Protocol !== 'sqs' || !id || !SUBSCRIPTION_ARN.test(id) || !entry.Endpoint) continue;
          const output = await this.client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: id }), {
            abortSignal: this.#signal,
          });
          const config = fromSubscriptionAttributes(output.Attributes ?? {});
          subscriptions.push({ id, topic: topicName, queue: nameOfArn(entry.Endpoint), ...config });
        }
        NextToken = page.NextToken;
      } while (NextToken);
      return subscriptions;
    });
  }

  async publishBatch(
    topicName: string,
    entries: readonly DriverPublishEntry[],
  ): Promise<DriverBatchResult<DriverSendResult>> {
    const fifo = topicName.endsWith('.fifo');
    const result = await this.#onTopic(topicName, async (TopicArn) => {
      const output = await this.client.send(
        new PublishBatchCommand({
          TopicArn,
          PublishBatchRequestEntries: entries.map((entry) => toPublishEntry(entry, fifo)),
        }),
        { abortSignal: this.#signal },
      );
      return fromPublishBatch(output);
    });
    this.#counter?.countMessages('published', result.successful.length);
    return result;
  }

  errorCode(code: string): ErrorCode | undefined {
    return snsErrorCode(code);
  }

  /** Ends in-flight SNS requests and releases the client's sockets. */
  close(): void {
    this.#closing.abort();
    this.client.destroy();
  }
}
