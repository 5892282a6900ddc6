import { md5Hex } from '../digests.js';
import type { MessageAttributes } from '../message-attributes.js';
import type { ReceivedMessage } from '../received-message.js';
import type { SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from './lambda-types.js';

function toRecordAttributes(attributes: MessageAttributes): SQSMessageAttributes {
  const out: SQSMessageAttributes = {};
  for (const name in attributes) {
    if (!Object.hasOwn(attributes, name)) continue;
    const value = attributes[name] as MessageAttributes[string];
    out[name] = value.binaryValue
      ? {
          dataType: value.dataType,
          binaryValue: Buffer.from(value.binaryValue).toString('base64'),
          stringListValues: [],
          binaryListValues: [],
        }
      : { dataType: value.dataType, stringValue: value.stringValue ?? '', stringListValues: [], binaryListValues: [] };
  }
  return out;
}

/**
 * Number-to-string conversions dominate a record's cost. Messages of a batch mostly share their
 * timestamps (sent by one batch call, first received by one receive), so the last conversion of
 * each is kept; receive counts are small, so their strings are kept in a table.
 */
const receiveCountStrings = Array.from({ length: 64 }, (_, count) => String(count));
let lastSent = Number.NaN;
let lastSentString = '';
let lastFirstReceive = Number.NaN;
let lastFirstReceiveString = '';

function receiveCountString(count: number): string {
  return receiveCountStrings[count] ?? String(count);
}

function sentString(timestamp: number): string {
  if (timestamp !== lastSent) {
    lastSent = timestamp;
    lastSentString = String(timestamp);
  }
  return lastSentString;
}

function firstReceiveString(timestamp: number): string {
  if (timestamp !== lastFirstReceive) {
    lastFirstReceive = timestamp;
    lastFirstReceiveString = String(timestamp);
  }
  return lastFirstReceiveString;
}

function hasAny(attributes: MessageAttributes): boolean {
  for (const _ in attributes) return true;
  return false;
}

/** The records exactly as the Lambda event source mapping delivers them (all attribute values are strings). */
export function toSqsRecord(message: ReceivedMessage<unknown>, eventSourceARN: string, awsRegion: string): SQSRecord {
  const attributes: SQSRecordAttributes = {
    ApproximateReceiveCount: receiveCountString(message.receiveCount),
    SentTimestamp: sentString(message.sentTimestamp),
    SenderId: 'msgport',
    ApproximateFirstReceiveTimestamp: firstReceiveString(message.firstReceiveTimestamp),
  };
  // Absent rather than undefined, as Lambda sends them.
  if (message.sequenceNumber !== undefined) attributes.SequenceNumber = message.sequenceNumber;
  if (message.groupId !== undefined) attributes.MessageGroupId = message.groupId;
  if (message.deduplicationId !== undefined) attributes.MessageDeduplicationId = message.deduplicationId;
  const record = {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.rawBody,
    attributes,
    messageAttributes: hasAny(message.attributes) ? toRecordAttributes(message.attributes) : {},
  } as SQSRecord;
  // One shared getter, defined before the later fields to keep Lambda's key order: a getter in the
  // literal would be a new function per record and give every record a hidden class of its own.
  Object.defineProperty(record, 'md5OfBody', md5OfBodyProperty);
  record.eventSource = 'aws:sqs';
  record.eventSourceARN = eventSourceARN;
  record.awsRegion = awsRegion;
  return record;
}

/** Computed on first read: most handlers never look at it, and MD5 per message is not free. */
const md5OfBodyProperty: PropertyDescriptor = {
  get(this: SQSRecord): string {
    return md5Hex(this.body);
  },
  enumerable: true,
  configurable: true,
};

export function toSqsEvent(
  messages: readonly ReceivedMessage<unknown>[],
  eventSourceARN: string,
  awsRegion: string,
): SQSEvent {
  const records: SQSRecord[] = new Array(messages.length);
  for (let i = 0; i < messages.length; i++) {
    records[i] = toSqsRecord(messages[i] as ReceivedMessage<unknown>, eventSourceARN, awsRegion);
  }
  return { Records: records };
}
