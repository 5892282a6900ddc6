import type { DriverMessage, QueueConfig } from '@msgport/core/driver';
import { type DecodedMessage, encodeMessage, HEADER } from './message-codec.js';
import type { Publisher } from './publisher.js';
import type { SequenceSource } from './sequence.js';

/** What happens to a delivery before anyone sees it. */
export type Verdict = 'deliver' | 'drop' | 'dead-letter';

export interface JudgeInput {
  readonly message: DecodedMessage;
  /** ApproximateReceiveCount this receive would report. */
  readonly receiveCount: number;
  readonly config: QueueConfig;
  /** Messages that entered the queue before this time were purged. */
  readonly purgedBefore: number;
  readonly now: number;
}

/**
 * The client-side rules every delivery passes, in SQS's order: expired by retention → dropped; purged
 * → dropped; received maxReceiveCount times already → moved to the dead-letter queue; else delivered.
 */
export function judge(input: JudgeInput): Verdict {
  const { message, config } = input;
  if (input.now - message.sentAt >= config.retentionSeconds * 1000) return 'drop';
  if (message.enqueuedAt < input.purgedBefore) return 'drop';
  if (config.deadLetter && input.receiveCount > config.deadLetter.maxReceiveCount) return 'dead-letter';
  return 'deliver';
}

export function toDriverMessage(
  message: DecodedMessage,
  fifo: boolean,
  receiptHandle: string,
  receiveCount: number,
  firstReceiveTimestamp: number,
): DriverMessage {
  return {
    messageId: message.messageId,
    receiptHandle,
    body: message.body,
    attributes: message.attributes,
    receiveCount,
    sentTimestamp: message.sentAt,
    firstReceiveTimestamp,
    ...(message.groupId !== undefined ? { groupId: message.groupId } : {}),
    ...(fifo && message.deduplicationId !== undefined ? { deduplicationId: message.deduplicationId } : {}),
    ...(fifo && message.sequenceNumber !== undefined ? { sequenceNumber: message.sequenceNumber } : {}),
  };
}

/**
 * Client-side redrive: publishes the message to the dead-letter queue with its id, body and attributes
 * and waits for the confirm; only then may the caller ack the original, so a crash in between can
 * duplicate a message into the dead-letter queue but never lose it. FIFO dead-letter queues take the
 * message id as deduplication id, a new sequence number and a new SentTimestamp (as SQS does). The
 * receives so far travel with it (`receives`), so the receive count goes on growing in the DLQ as on SQS.
 * Resolves `false` when the dead-letter queue does not exist.
 */
export async function publishDeadLetter(
  publisher: Publisher,
  message: DecodedMessage,
  source: string,
  target: { readonly brokerQueue: string; readonly fifo: boolean },
  sequence: SequenceSource,
  receives: number,
  now = Date.now(),
): Promise<boolean> {
  const { content, options } = encodeMessage({
    messageId: message.messageId,
    body: message.body,
    attributes: message.attributes,
    sentAt: target.fifo ? now : message.sentAt,
    enqueuedAt: now,
    ...(message.groupId !== undefined ? { groupId: message.groupId } : {}),
    ...(target.fifo
      ? { deduplicationId: message.messageId, sequenceNumber: sequence.next() }
      : message.deduplicationId !== undefined
        ? { deduplicationId: message.deduplicationId }
        : {}),
    priorReceives: receives,
    headers: { [HEADER.deadLetterSource]: source },
  });
  const outcome = await publisher.publish({
    exchange: '',
    routingKey: target.brokerQueue,
    content,
    options: { ...options, mandatory: true },
  });
  return outcome === 'confirmed';
}
