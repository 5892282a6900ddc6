import { randomUUID } from 'node:crypto';
import type { MessageAttributes, MessageAttributeValue } from '@msgport/core/driver';
import type { Message, Options } from 'amqplib';
import { FANOUT_HEADER, fanoutMessageId } from './fanout-id.js';

/**
 * How a msgport message travels on RabbitMQ. The AMQP body is the UTF-8 message body, preceded by the
 * message attributes as JSON when there are any (their byte length is in a header): attributes may be
 * as large as the body, and AMQP headers must fit one frame. Everything else is a small header.
 */
export const HEADER = {
  sentAt: 'x-mq-sent',
  enqueuedAt: 'x-mq-enq',
  attributeBytes: 'x-mq-alen',
  groupId: 'x-mq-group',
  deduplicationId: 'x-mq-dedup',
  sequenceNumber: 'x-mq-seq',
  deadLetterSource: 'x-mq-dlq-source',
  /** Receives in the queues a dead-lettered message came from: SQS's receive count is not reset by the move. */
  priorReceives: 'x-mq-prior',
} as const;

export interface OutgoingMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: MessageAttributes;
  /** SentTimestamp (epoch ms): kept across redrive to a standard dead-letter queue. */
  readonly sentAt: number;
  /** When it entered its current queue (epoch ms): purges remove what entered before them. */
  readonly enqueuedAt: number;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly sequenceNumber?: string;
  /** Receives before it entered this queue (a dead-lettered message). */
  readonly priorReceives?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface DecodedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: MessageAttributes;
  readonly sentAt: number;
  readonly enqueuedAt: number;
  readonly groupId: string | undefined;
  readonly deduplicationId: string | undefined;
  readonly sequenceNumber: string | undefined;
  /** Earlier deliveries: the broker's count, plus the receives in the queues it was dead-lettered from. */
  readonly priorDeliveries: number;
}

type EncodedAttribute = { t: string; s?: string; b?: string };

export function encodeMessage(message: OutgoingMessage): { content: Buffer; options: Options.Publish } {
  const body = Buffer.from(message.body, 'utf8');
  const names = Object.keys(message.attributes);
  let content = body;
  let attributeBytes = 0;
  if (names.length > 0) {
    const encoded: Record<string, EncodedAttribute> = {};
    for (const name of names) encoded[name] = encodeAttribute(message.attributes[name] as MessageAttributeValue);
    const prefix = Buffer.from(JSON.stringify(encoded), 'utf8');
    attributeBytes = prefix.length;
    content = Buffer.concat([prefix, body]);
  }
  const headers: Record<string, string | number> = {
    [HEADER.sentAt]: message.sentAt,
    // Omitted when it is the SentTimestamp (every plain send): the reader falls back to that.
    ...(message.enqueuedAt !== message.sentAt ? { [HEADER.enqueuedAt]: message.enqueuedAt } : {}),
    ...(attributeBytes > 0 ? { [HEADER.attributeBytes]: attributeBytes } : {}),
    ...(message.groupId !== undefined ? { [HEADER.groupId]: message.groupId } : {}),
    ...(message.deduplicationId !== undefined ? { [HEADER.deduplicationId]: message.deduplicationId } : {}),
    ...(message.sequenceNumber !== undefined ? { [HEADER.sequenceNumber]: message.sequenceNumber } : {}),
    ...(message.priorReceives ? { [HEADER.priorReceives]: message.priorReceives } : {}),
    ...message.headers,
  };
  return {
    content,
    options: {
      persistent: true,
      messageId: message.messageId,
      timestamp: Math.floor(message.sentAt / 1000),
      contentType: 'text/plain; charset=utf-8',
      headers,
    },
  };
}

/**
 * Reads a delivery from `brokerQueue`; messages published by other AMQP clients decode as a body
 * without attributes (and get a random message id when they carry none).
 */
export function decodeMessage(raw: Message, brokerQueue: string): DecodedMessage {
  const headers: Record<string, unknown> = raw.properties.headers ?? {};
  const attributeBytes = numberHeader(headers[HEADER.attributeBytes]) ?? 0;
  let attributes: MessageAttributes = {};
  let body: string;
  const decoded = attributeBytes > 0 ? decodeAttributes(raw.content.subarray(0, attributeBytes)) : undefined;
  if (decoded) {
    attributes = decoded;
    body = raw.content.subarray(attributeBytes).toString('utf8');
  } else {
    body = raw.content.toString('utf8');
  }
  const timestamp = numberHeader(raw.properties.timestamp);
  const sentAt = numberHeader(headers[HEADER.sentAt]) ?? (timestamp !== undefined ? timestamp * 1000 : Date.now());
  const published = raw.properties.messageId;
  let messageId = typeof published === 'string' && published.length > 0 ? published : randomUUID();
  if (headers[FANOUT_HEADER] !== undefined) messageId = fanoutMessageId(messageId, brokerQueue);
  return {
    messageId,
    body,
    attributes,
    sentAt,
    enqueuedAt: numberHeader(headers[HEADER.enqueuedAt]) ?? sentAt,
    groupId: stringHeader(headers[HEADER.groupId]),
    deduplicationId: stringHeader(headers[HEADER.deduplicationId]),
    sequenceNumber: stringHeader(headers[HEADER.sequenceNumber]),
    priorDeliveries:
      (numberHeader(headers[HEADER.priorReceives]) ?? 0) + priorDeliveries(headers, raw.fields.redelivered),
  };
}

/**
 * RabbitMQ ≥ 4.3 counts every acquisition in `x-acquired-count` (its `x-delivery-count` then counts
 * failed deliveries only); quorum queues before that count every return in `x-delivery-count`.
 */
function priorDeliveries(headers: Record<string, unknown>, redelivered: boolean): number {
  return (
    numberHeader(headers['x-acquired-count']) ?? numberHeader(headers['x-delivery-count']) ?? (redelivered ? 1 : 0)
  );
}

function encodeAttribute(value: MessageAttributeValue): EncodedAttribute {
  if (value.binaryValue !== undefined) {
    return { t: value.dataType, b: Buffer.from(value.binaryValue).toString('base64') };
  }
  return { t: value.dataType, s: value.stringValue ?? '' };
}

function decodeAttributes(bytes: Buffer): MessageAttributes | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(parsed as Record<string, EncodedAttribute>)) {
    if (typeof value?.t !== 'string') return undefined;
    attributes[name] =
      typeof value.b === 'string'
        ? { dataType: value.t, binaryValue: new Uint8Array(Buffer.from(value.b, 'base64')) }
        : { dataType: value.t, stringValue: String(value.s ?? '') };
  }
  return attributes;
}

function numberHeader(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function stringHeader(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
}
