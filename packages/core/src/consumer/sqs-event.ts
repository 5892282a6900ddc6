import type { MessageAttributes } from '../message-attributes.js';
import type { ReceivedMessage } from '../received-message.js';
import type { SQSEvent, SQSMessageAttributes, SQSRecord } from './lambda-types.js';

export function queueArn(region: string, queue: string): string {
  return `arn:aws:sqs:${region}:000000000000:${queue}`;
}

function toRecordAttributes(attributes: MessageAttributes): SQSMessageAttributes {
  const out: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
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

/** The records exactly as the Lambda event source mapping delivers them (all attribute values are strings). */
export function toSqsRecord(message: ReceivedMessage<unknown>, eventSourceARN: string, awsRegion: string): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.rawBody,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentTimestamp),
      SenderId: 'msgport',
      ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp),
      ...(message.sequenceNumber !== undefined ? { SequenceNumber: message.sequenceNumber } : {}),
      ...(message.groupId !== undefined ? { MessageGroupId: message.groupId } : {}),
      ...(message.deduplicationId !== undefined ? { MessageDeduplicationId: message.deduplicationId } : {}),
    },
    messageAttributes: toRecordAttributes(message.attributes),
    // Computed on first read: most handlers never look at it, and MD5 per message is not free.
    get md5OfBody() {
      return message.md5OfBody;
    },
    eventSource: 'aws:sqs',
    eventSourceARN,
    awsRegion,
  };
}

export function toSqsEvent(
  messages: readonly ReceivedMessage<unknown>[],
  eventSourceARN: string,
  awsRegion: string,
): SQSEvent {
  return { Records: messages.map((message) => toSqsRecord(message, eventSourceARN, awsRegion)) };
}
