import type { MessageAttributes } from '@msgport/core/driver';
import type { MessageTable } from './message-table.js';

/** A message on its way to a dead-letter queue: what the new queue keeps of it. */
export interface MovedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: MessageAttributes;
  readonly groupId: string | undefined;
  readonly deduplicationId: string | undefined;
  readonly sentTimestamp: number;
  readonly receiveCount: number;
  readonly firstReceiveTimestamp: number;
}

/** The message in `slot` (of group `groupId`), taken out to move it. */
export function movedMessage(table: MessageTable, slot: number, groupId: string | undefined): MovedMessage {
  return {
    messageId: table.messageId(slot),
    body: table.body(slot),
    attributes: table.attributes(slot),
    groupId,
    deduplicationId: table.deduplicationId(slot),
    sentTimestamp: table.sentTimestamp(slot),
    receiveCount: table.receiveCount(slot),
    firstReceiveTimestamp: table.firstReceiveTimestamp(slot),
  };
}
