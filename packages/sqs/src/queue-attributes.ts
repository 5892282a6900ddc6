import { type DriverQueueInfo, LIMITS, type QueueConfig } from '@msgport/core/driver';

/** The SQS queue attributes msgport sets; everything else (Policy, KMS, tags) is left alone. */
export type QueueAttributeMap = Record<string, string>;

/** The last segment of an ARN: the queue or topic name. */
export function nameOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}

/** CreateQueue attributes for a resolved msgport config; `deadLetterArn` is the DLQ's QueueArn. */
export function toQueueAttributes(config: QueueConfig, deadLetterArn?: string): QueueAttributeMap {
  const attributes: QueueAttributeMap = {
    VisibilityTimeout: String(config.visibilityTimeoutSeconds),
    DelaySeconds: String(config.delaySeconds),
    MessageRetentionPeriod: String(config.retentionSeconds),
    MaximumMessageSize: String(config.maxMessageBytes),
    ReceiveMessageWaitTimeSeconds: String(config.receiveWaitTimeSeconds),
  };
  if (config.deadLetter && deadLetterArn !== undefined) {
    attributes.RedrivePolicy = JSON.stringify({
      deadLetterTargetArn: deadLetterArn,
      maxReceiveCount: config.deadLetter.maxReceiveCount,
    });
  }
  if (config.fifo) {
    attributes.FifoQueue = 'true';
    attributes.ContentBasedDeduplication = String(config.contentBasedDeduplication);
    attributes.DeduplicationScope = config.deduplicationScope;
    attributes.FifoThroughputLimit = config.fifoThroughputLimit ?? 'perQueue';
  }
  return attributes;
}

function integer(attributes: Partial<QueueAttributeMap>, name: string, fallback: number): number {
  const raw = attributes[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  return Number.isFinite(value) ? Math.trunc(value) : fallback;
}

function readDeadLetter(raw: string | undefined): QueueConfig['deadLetter'] {
  if (raw === undefined || raw === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const { deadLetterTargetArn, maxReceiveCount } = parsed as Record<string, unknown>;
  if (typeof deadLetterTargetArn !== 'string') return undefined;
  const count = Number(maxReceiveCount);
  return { queue: nameOfArn(deadLetterTargetArn), maxReceiveCount: Number.isFinite(count) ? count : 10 };
}

/** The msgport view of GetQueueAttributes: the config with SQS defaults for absent attributes, and stats. */
export function fromQueueAttributes(attributes: Partial<QueueAttributeMap>): DriverQueueInfo {
  const fifo = attributes.FifoQueue === 'true';
  const deadLetter = readDeadLetter(attributes.RedrivePolicy);
  const config: QueueConfig = {
    fifo,
    visibilityTimeoutSeconds: integer(attributes, 'VisibilityTimeout', LIMITS.visibilityTimeoutDefaultSeconds),
    delaySeconds: integer(attributes, 'DelaySeconds', 0),
    retentionSeconds: integer(attributes, 'MessageRetentionPeriod', LIMITS.retentionDefaultSeconds),
    maxMessageBytes: integer(attributes, 'MaximumMessageSize', LIMITS.messageBytesDefault),
    receiveWaitTimeSeconds: integer(attributes, 'ReceiveMessageWaitTimeSeconds', 0),
    ...(deadLetter ? { deadLetter } : {}),
    contentBasedDeduplication: fifo && attributes.ContentBasedDeduplication === 'true',
    deduplicationScope: fifo && attributes.DeduplicationScope === 'messageGroup' ? 'messageGroup' : 'queue',
    fifoThroughputLimit:
      fifo && attributes.FifoThroughputLimit === 'perMessageGroupId' ? 'perMessageGroupId' : 'perQueue',
  };
  return {
    config,
    stats: {
      visible: integer(attributes, 'ApproximateNumberOfMessages', 0),
      inFlight: integer(attributes, 'ApproximateNumberOfMessagesNotVisible', 0),
      delayed: integer(attributes, 'ApproximateNumberOfMessagesDelayed', 0),
      // SQS reports the age of the oldest message only as a CloudWatch metric, not in GetQueueAttributes.
      oldestMessageAgeSeconds: 0,
      createdAt: new Date(integer(attributes, 'CreatedTimestamp', 0) * 1000),
    },
  };
}
