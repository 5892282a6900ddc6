import type { DriverMessage, MessageAttributes } from '@msgport/core/driver';
import type { MessageTable } from './message-table.js';

/** A `DriverMessage` being built: its optional fields are added only when present. */
type Delivery = { -readonly [K in keyof DriverMessage]: DriverMessage[K] };

/** The message in `slot` (of group `groupId`) as one receive hands it out, under `receiptHandle`. */
export function delivery(
  table: MessageTable,
  slot: number,
  groupId: string | undefined,
  receiptHandle: string,
): DriverMessage {
  const out: Delivery = {
    messageId: table.messageId(slot),
    receiptHandle,
    body: table.body(slot),
    attributes: copyAttributes(table.attributes(slot)),
    receiveCount: table.receiveCount(slot),
    sentTimestamp: table.sentTimestamp(slot),
    firstReceiveTimestamp: table.firstReceiveTimestamp(slot),
  };
  // Optional fields are absent rather than undefined, as on the other transports.
  if (groupId !== undefined) out.groupId = groupId;
  const deduplicationId = table.deduplicationId(slot);
  if (deduplicationId !== undefined) out.deduplicationId = deduplicationId;
  const sequenceNumber = table.sequenceNumber(slot);
  if (sequenceNumber !== undefined) out.sequenceNumber = sequenceNumber;
  return out;
}

/** Attributes of a message without any: one frozen object for all, as core's own. */
const NO_ATTRIBUTES: MessageAttributes = Object.freeze({});

/** Each delivery gets its own attribute objects, so a handler's changes never reach the stored message. */
function copyAttributes(attributes: MessageAttributes): MessageAttributes {
  let copy: Record<string, MessageAttributes[string]> | undefined;
  for (const name in attributes) {
    copy ??= {};
    const value = attributes[name] as MessageAttributes[string];
    copy[name] = value.binaryValue
      ? { dataType: value.dataType, binaryValue: value.binaryValue.slice() }
      : { ...value };
  }
  return copy ?? NO_ATTRIBUTES;
}
