import type { Capabilities } from '@msgport/core/driver';

/**
 * What Amazon SQS (with SNS topics) offers, as AWS documents it. Where an emulator falls short
 * (fauxqs 1.9.2: no retention expiry, no fair queues, …) the capability still describes AWS and the
 * deviation is listed in docs/transports/sqs-sns.md.
 */
export function sqsCapabilities(topics: boolean): Capabilities {
  return {
    fifo: true,
    fairQueues: true,
    delay: true,
    maxDelaySeconds: 900,
    deadLetter: true,
    purge: true,
    retention: true,
    queueStats: true,
    // ApproximateAgeOfOldestMessage is a CloudWatch metric only; GetQueueAttributes has no such attribute.
    oldestMessageAge: false,
    changeVisibility: true,
    longPolling: true,
    strictReceiptHandles: true,
    topics,
    fifoTopics: topics,
    rawDelivery: topics,
    filterPolicyScopes: topics ? ['MessageAttributes', 'MessageBody'] : [],
    maxBatchSize: 10,
    maxMessageBytes: 1_048_576,
    persistent: true,
    crashRedelivery: 'afterVisibilityTimeout',
    receiptHandleScope: 'global',
  };
}
