/**
 * What the SNS half needs from the SQS transport: a queue's ARN (the subscription endpoint) and a
 * queue policy that lets the topic deliver. `@msgport/sqs` implements it.
 */
export interface QueueEndpoints {
  /** The queue's ARN; rejects with `QueueDoesNotExist` when the queue is missing. */
  queueArn(queueName: string, signal?: AbortSignal): Promise<string>;
  /** Adds `sqs:SendMessage` for the topic to the queue's policy (keeping the rest); idempotent. */
  allowTopic(queueName: string, topicArn: string, signal?: AbortSignal): Promise<void>;
}

/** Counts messages the topic half accepted, for the request meter of the driver. */
export interface PublishCounter {
  countMessages(kind: 'published', count: number): void;
}
