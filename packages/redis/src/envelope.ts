import {
  type DriverMessage,
  type MessageAttributes,
  type MessageAttributeValue,
  ReceiptHandleIsInvalidError,
} from '@msgport/core/driver';
import { messageIdOf } from './message-key.js';
import { text } from './script-runner.js';

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

/**
 * The immutable part of a message, opaque to the Lua scripts: `r` and the body as it is when there
 * is nothing else to keep (no JSON escaping to store or undo), else `j` and JSON.
 */
export function encodeEnvelope(body: string, attributes: MessageAttributes, deduplicationId?: string): string {
  const names = Object.keys(attributes);
  if (names.length === 0 && deduplicationId === undefined) return `r${body}`;
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
  return `j${JSON.stringify(envelope)}`;
}

const NO_ATTRIBUTES: MessageAttributes = Object.freeze({});

export function decodeEnvelope(stored: string): {
  body: string;
  attributes: MessageAttributes;
  deduplicationId: string | undefined;
} {
  if (stored.startsWith('r')) return { body: stored.slice(1), attributes: NO_ATTRIBUTES, deduplicationId: undefined };
  const envelope = JSON.parse(stored.slice(1)) as StoredEnvelope;
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, [dataType, value, binary]] of Object.entries(envelope.a ?? {})) {
    attributes[name] =
      binary === 1
        ? { dataType, binaryValue: new Uint8Array(Buffer.from(value, 'base64')) }
        : { dataType, stringValue: value };
  }
  return { body: envelope.b, attributes, deduplicationId: envelope.d };
}

/** A message record as the scripts store it: "rc:firstReceive:receivedAt:sent:state:seq:adopted:glen:" group envelope. */
export interface MessageRecord {
  readonly receiveCount: number;
  readonly firstReceive: number;
  readonly sent: number;
  readonly sequence: string;
  readonly adopted: boolean;
  readonly group: string;
  readonly envelope: string;
}

/** Parses a record (times are base-36 milliseconds, see scripts/lib.ts). */
export function parseRecord(record: string): MessageRecord {
  const fields: string[] = [];
  let at = 0;
  for (let i = 0; i < 8; i++) {
    const end = record.indexOf(':', at);
    fields.push(record.slice(at, end));
    at = end + 1;
  }
  const [rc, fr, , sent, , sequence, adopted, groupLength] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const length = Number(groupLength);
  let group = '';
  let envelope = record.slice(at);
  if (length > 0) {
    // The group length counts UTF-8 bytes (Lua's #); sizes in bytes, slices in UTF-16 units.
    const tail = Buffer.from(envelope, 'utf8');
    group = tail.subarray(0, length).toString('utf8');
    envelope = tail.subarray(length).toString('utf8');
  }
  return {
    receiveCount: Number(rc),
    firstReceive: Number.parseInt(fr, 36),
    sent: Number.parseInt(sent, 36),
    sequence,
    adopted: adopted === '1',
    group,
    envelope,
  };
}

/** Builds a DriverMessage from a delivered message's key and record. */
export function toDriverMessage(incarnation: string, key: unknown, stored: unknown): DriverMessage {
  const messageId = messageIdOf(text(key));
  const record = parseRecord(text(stored));
  const { receiveCount, sequence: sequenceNumber, group: groupId } = record;
  const { body, attributes, deduplicationId } = decodeEnvelope(record.envelope);
  const fifo = sequenceNumber !== '0' && sequenceNumber !== '';
  const dedup = fifo ? (record.adopted ? messageId : deduplicationId) : undefined;
  return {
    messageId,
    receiptHandle: formatReceiptHandle(incarnation, receiveCount, messageId),
    body,
    attributes,
    receiveCount,
    sentTimestamp: record.sent,
    firstReceiveTimestamp: record.firstReceive,
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
    // A forged handle may carry anything (even a secret): the message says what is wrong, not what it was.
    throw new ReceiptHandleIsInvalidError(
      `the receipt handle (${handle.length} characters) is not a receipt handle of this transport`,
      { transport },
    );
  }
  return { incarnation: match[1] as string, receiveCount: Number(match[2]), messageId: match[3] as string };
}
