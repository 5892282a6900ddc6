import {
  type DriverMessage,
  type MessageAttributes,
  type MessageAttributeValue,
  ReceiptHandleIsInvalidError,
} from '@msgport/core/driver';
import { num, text } from './script-runner.js';

/** Attribute as stored: [dataType, value, 1 when value is base64 of binary]. */
type StoredAttribute = [string, string, 0 | 1];

interface StoredEnvelope {
  /** Body. */
  b: string;
  /** Attributes. */
  a?: Record<string, StoredAttribute>;
  /** FIFO deduplication id given at send. */
  d?: string;
}

/** The immutable part of a message, opaque to the Lua scripts. */
export function encodeEnvelope(body: string, attributes: MessageAttributes, deduplicationId?: string): string {
  const names = Object.keys(attributes);
  const envelope: StoredEnvelope = { b: body };
  if (names.length > 0) {
    envelope.a = {};
    for (const name of names) {
      const value = attributes[name] as MessageAttributeValue;
      envelope.a[name] = value.binaryValue
        ? [value.dataType, Buffer.from(value.binaryValue).toString('base64'), 1]
        : [value.dataType, value.stringValue ?? '', 0];
    }
  }
  if (deduplicationId !== undefined) envelope.d = deduplicationId;
  return JSON.stringify(envelope);
}

export function decodeEnvelope(stored: string): {
  body: string;
  attributes: MessageAttributes;
  deduplicationId: string | undefined;
} {
  const envelope = JSON.parse(stored) as StoredEnvelope;
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, [dataType, value, binary]] of Object.entries(envelope.a ?? {})) {
    attributes[name] =
      binary === 1
        ? { dataType, binaryValue: new Uint8Array(Buffer.from(value, 'base64')) }
        : { dataType, stringValue: value };
  }
  return { body: envelope.b, attributes, deduplicationId: envelope.d };
}

/** Number of reply fields per delivered message in the receive script's reply. */
export const DELIVERED_FIELDS = 8;

/** Builds a DriverMessage from the receive script's fields for one message. */
export function toDriverMessage(incarnation: string, fields: readonly unknown[]): DriverMessage {
  const [id, stored, rc, firstReceive, sent, sequence, adopted, group] = fields;
  const messageId = text(id);
  const receiveCount = num(rc);
  const { body, attributes, deduplicationId } = decodeEnvelope(text(stored));
  const sequenceNumber = text(sequence);
  const fifo = sequenceNumber !== '0' && sequenceNumber !== '';
  const groupId = text(group);
  const dedup = fifo ? (text(adopted) === '1' ? messageId : deduplicationId) : undefined;
  return {
    messageId,
    receiptHandle: formatReceiptHandle(incarnation, receiveCount, messageId),
    body,
    attributes,
    receiveCount,
    sentTimestamp: num(sent),
    firstReceiveTimestamp: num(firstReceive),
    ...(groupId !== '' ? { groupId } : {}),
    ...(dedup !== undefined ? { deduplicationId: dedup } : {}),
    ...(fifo ? { sequenceNumber: sequenceNumber.padStart(20, '0') } : {}),
  };
}

export interface ReceiptHandle {
  readonly incarnation: string;
  readonly receiveCount: number;
  readonly messageId: string;
}

export function formatReceiptHandle(incarnation: string, receiveCount: number, messageId: string): string {
  return `${incarnation}.${receiveCount}.${messageId}`;
}

const HANDLE = /^([0-9a-f]{16})\.([1-9][0-9]{0,9})\.([A-Za-z0-9-]{1,64})$/;

/** Parses "<incarnation>.<receiveCount>.<messageId>"; anything else is `ReceiptHandleIsInvalid`. */
export function parseReceiptHandle(handle: string, transport: string): ReceiptHandle {
  const match = HANDLE.exec(handle);
  if (!match) {
    throw new ReceiptHandleIsInvalidError(`"${handle.slice(0, 40)}" is not a receipt handle of this transport`, {
      transport,
    });
  }
  return { incarnation: match[1] as string, receiveCount: Number(match[2]), messageId: match[3] as string };
}
