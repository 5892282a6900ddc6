import type { PublishBatchRequestEntry, PublishBatchResponse } from '@aws-sdk/client-sns';
import type { DriverBatchResult, DriverPublishEntry, DriverSendResult } from '@msgport/core/driver';
import { toSqsAttributes } from '@msgport/sqs';
import { snsErrorCode } from './sns-error-codes.js';

/**
 * A PublishBatch entry. The group id goes to FIFO topics and, on standard topics, is forwarded to
 * SQS fair queues (SNS since 2025-08); the deduplication id exists only on FIFO topics.
 */
export function toPublishEntry(entry: DriverPublishEntry, fifo: boolean): PublishBatchRequestEntry {
  const attributes = toSqsAttributes(entry.attributes);
  return {
    Id: entry.id,
    Message: entry.body,
    ...(entry.subject !== undefined ? { Subject: entry.subject } : {}),
    ...(attributes ? { MessageAttributes: attributes } : {}),
    ...(entry.groupId !== undefined ? { MessageGroupId: entry.groupId } : {}),
    ...(fifo && entry.deduplicationId !== undefined ? { MessageDeduplicationId: entry.deduplicationId } : {}),
  };
}

/** Per-entry results of PublishBatch in msgport's shape. */
export function fromPublishBatch(output: PublishBatchResponse): DriverBatchResult<DriverSendResult> {
  return {
    successful: (output.Successful ?? []).map((entry) => ({
      id: entry.Id ?? '',
      messageId: entry.MessageId ?? '',
      ...(entry.SequenceNumber !== undefined ? { sequenceNumber: entry.SequenceNumber } : {}),
    })),
    failed: (output.Failed ?? []).map((entry) => ({
      id: entry.Id ?? '',
      code: snsErrorCode(entry.Code ?? '') ?? 'Internal',
      message: entry.Message ?? entry.Code ?? 'publish failed',
      senderFault: entry.SenderFault ?? false,
    })),
  };
}
