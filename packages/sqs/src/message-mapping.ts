import type {
  Message,
  SendMessageBatchRequestEntry,
  MessageAttributeValue as SqsAttributeValue,
} from '@aws-sdk/client-sqs';
import type { DriverMessage, DriverSendEntry, MessageAttributes, MessageAttributeValue } from '@msgport/core/driver';
import { digestMismatch } from './md5.js';

export function toSqsAttributes(attributes: MessageAttributes): Record<string, SqsAttributeValue> | undefined {
  const names = Object.keys(attributes);
  if (names.length === 0) return undefined;
  const out: Record<string, SqsAttributeValue> = {};
  for (const name of names) {
    const value = attributes[name] as MessageAttributeValue;
    out[name] =
      value.binaryValue !== undefined
        ? { DataType: value.dataType, BinaryValue: value.binaryValue }
        : { DataType: value.dataType, StringValue: value.stringValue ?? '' };
  }
  return out;
}

const NO_ATTRIBUTES: MessageAttributes = Object.freeze({});

export function fromSqsAttributes(attributes: Record<string, SqsAttributeValue> | undefined): MessageAttributes {
  if (attributes === undefined) return NO_ATTRIBUTES;
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const dataType = value.DataType ?? 'String';
    out[name] =
      value.BinaryValue !== undefined
        ? { dataType, binaryValue: new Uint8Array(value.BinaryValue) }
        : { dataType, stringValue: value.StringValue ?? '' };
  }
  return out;
}

/**
 * A SendMessageBatch entry. FIFO entries carry no DelaySeconds (SQS rejects a per-message delay on
 * FIFO queues; the queue delay applies). `groupId` on a standard queue makes it a fair-queue tenant.
 */
export function toSendEntry(entry: DriverSendEntry, fifo: boolean): SendMessageBatchRequestEntry {
  const out: SendMessageBatchRequestEntry = { Id: entry.id, MessageBody: entry.body };
  const attributes = toSqsAttributes(entry.attributes);
  if (attributes) out.MessageAttributes = attributes;
  if (!fifo) out.DelaySeconds = entry.delaySeconds;
  if (entry.groupId !== undefined) out.MessageGroupId = entry.groupId;
  if (fifo && entry.deduplicationId !== undefined) out.MessageDeduplicationId = entry.deduplicationId;
  return out;
}

export type ReceivedMapping = { readonly ok: true; readonly message: DriverMessage } | CorruptMessage;

export interface CorruptMessage {
  readonly ok: false;
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly reason: string;
}

function timestamp(value: string | undefined, fallback: number): number {
  const parsed = value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(parsed) ? parsed : fallback;
}

/** Maps a received SQS message and verifies its MD5 digests. */
export function fromSqsMessage(message: Message, receivedAt: number): ReceivedMapping {
  const messageId = message.MessageId ?? '';
  const receiptHandle = message.ReceiptHandle ?? '';
  const body = message.Body ?? '';
  const attributes = fromSqsAttributes(message.MessageAttributes);
  const reason = digestMismatch({
    body,
    attributes,
    md5OfBody: message.MD5OfBody,
    md5OfAttributes: message.MD5OfMessageAttributes,
  });
  if (reason !== undefined) return { ok: false, messageId, receiptHandle, reason };
  const system: Partial<Record<string, string>> = message.Attributes ?? {};
  const mapped: { -readonly [K in keyof DriverMessage]: DriverMessage[K] } = {
    messageId,
    receiptHandle,
    body,
    attributes,
    receiveCount: timestamp(system.ApproximateReceiveCount, 1),
    sentTimestamp: timestamp(system.SentTimestamp, receivedAt),
    firstReceiveTimestamp: timestamp(system.ApproximateFirstReceiveTimestamp, receivedAt),
  };
  if (system.MessageGroupId !== undefined) mapped.groupId = system.MessageGroupId;
  if (system.MessageDeduplicationId !== undefined) mapped.deduplicationId = system.MessageDeduplicationId;
  if (system.SequenceNumber !== undefined) mapped.sequenceNumber = system.SequenceNumber;
  return { ok: true, message: mapped };
}

/** Maps a ReceiveMessage result: the messages to hand out, and those that failed their digests. */
export function fromSqsMessages(
  raw: readonly Message[] | undefined,
  receivedAt: number,
): { messages: DriverMessage[]; corrupt: CorruptMessage[] } {
  const messages: DriverMessage[] = [];
  const corrupt: CorruptMessage[] = [];
  for (const message of raw ?? []) {
    const mapped = fromSqsMessage(message, receivedAt);
    if (mapped.ok) messages.push(mapped.message);
    else corrupt.push(mapped);
  }
  return { messages, corrupt };
}
