import type {
  PublishBatchRequestEntry,
  PublishBatchResponse,
  MessageAttributeValue as SnsAttributeValue,
} from '@aws-sdk/client-sns';
import type {
  DriverBatchResult,
  DriverPublishEntry,
  DriverSendResult,
  MessageAttributes,
  MessageAttributeValue,
} from '@msgport/core/driver';
import { snsErrorCode } from './aws-error-codes.js';

function toSnsAttributes(attributes: MessageAttributes): Record<string, SnsAttributeValue> | undefined {
  const names = Object.keys(attributes);
  if (names.length === 0) return undefined;
  const out: Record<string, SnsAttributeValue> = {};
  for (const name of names) {
    const value = attributes[name] as MessageAttributeValue;
    out[name] =
      value.binaryValue !== undefined
        ? { DataType: value.dataType, BinaryValue: value.binaryValue }
        : { DataType: value.dataType, StringValue: value.stringValue ?? '' };
  }
  return out;
}

/**
 * A PublishBatch entry. The group id goes to FIFO topics and, on standard topics, is forwarded to
 * SQS fair queues (SNS since 2025-08); the deduplication id exists only on FIFO topics.
 */
export function toPublishEntry(entry: DriverPublishEntry, fifo: boolean): PublishBatchRequestEntry {
  const attributes = toSnsAttributes(entry.attributes);
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
