import { GetQueueAttributesCommand, SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { allowTopicPolicy } from './queue-policy.js';
import type { QueueUrlCache } from './queue-urls.js';
import type { QueueEndpoints } from './sqs-topics.js';

/**
 * The SQS side of a subscription: the queue's ARN for SNS, and a queue policy statement that lets
 * the topic send to the queue. Policy edits are read-modify-write, so they are serialized per queue
 * within this process (concurrent subscribers elsewhere can still race; see the transport docs).
 */
export class TopicPermissions implements QueueEndpoints {
  readonly #client: SQSClient;
  readonly #urls: QueueUrlCache;
  readonly #locks = new Map<string, Promise<void>>();

  constructor(client: SQSClient, urls: QueueUrlCache) {
    this.#client = client;
    this.#urls = urls;
  }

  queueArn(queueName: string, signal?: AbortSignal): Promise<string> {
    return this.#urls.arn(queueName, signal ? { abortSignal: signal } : {});
  }

  allowTopic(queueName: string, topicArn: string, signal?: AbortSignal): Promise<void> {
    const previous = this.#locks.get(queueName) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.#allow(queueName, topicArn, signal));
    const settled = next.catch(() => undefined);
    this.#locks.set(queueName, settled);
    void settled.then(() => {
      if (this.#locks.get(queueName) === settled) this.#locks.delete(queueName);
    });
    return next;
  }

  async #allow(queueName: string, topicArn: string, signal: AbortSignal | undefined): Promise<void> {
    const options = signal ? { abortSignal: signal } : {};
    const QueueUrl = await this.#urls.url(queueName, options);
    const output = await this.#client.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy', 'QueueArn'] }),
      options,
    );
    const queueArn = output.Attributes?.QueueArn ?? (await this.queueArn(queueName, signal));
    const Policy = allowTopicPolicy(output.Attributes?.Policy, queueArn, topicArn);
    if (Policy === undefined) return;
    await this.#client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy } }), options);
  }
}
