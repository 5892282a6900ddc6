import { createError } from './errors.js';
import type { Queue } from './queue.js';

export interface MoveMessagesOptions {
  /** Stop after this many messages; default: until `from` is empty. */
  readonly maxMessages?: number;
  readonly onProgress?: (moved: number) => void;
  readonly signal?: AbortSignal;
}

// Long enough to send and delete a batch; if the process dies meanwhile the messages reappear in `from`.
const IN_FLIGHT_SECONDS = 60;

/**
 * Moves messages between two queues, possibly on different brokers (e.g. Redis → SQS during a
 * migration): receive → send → delete, so a crash in between duplicates a message but never loses
 * one. Bodies, attributes and FIFO group ids are kept; each move is a new message on `to`.
 */
export async function moveMessages(
  from: Queue<unknown>,
  to: Queue<unknown>,
  options: MoveMessagesOptions = {},
): Promise<number> {
  const limit = options.maxMessages ?? Number.POSITIVE_INFINITY;
  let moved = 0;
  while (moved < limit) {
    const batch = await from.receive({
      maxMessages: Math.min(10, limit - moved),
      waitTimeSeconds: 0,
      visibilityTimeoutSeconds: IN_FLIGHT_SECONDS,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (batch.length === 0) {
      if ((await from.getAttributes()).visible === 0) break;
      continue;
    }
    const sent = await to.sendBatch(
      batch.map((message, index) => ({
        id: `m${index}`,
        body: message.body,
        attributes: message.attributes,
        ...(to.fifo ? { groupId: message.groupId ?? 'moved', deduplicationId: message.messageId } : {}),
        ...(!to.fifo && message.groupId !== undefined ? { groupId: message.groupId } : {}),
      })),
    );
    const ok = new Set(sent.successful.map((entry) => entry.id));
    const receipts = batch
      .map((m, index) => ({ id: `m${index}`, receiptHandle: m.receiptHandle }))
      .filter((e) => ok.has(e.id));
    if (receipts.length > 0) await from.deleteBatch(receipts);
    moved += receipts.length;
    options.onProgress?.(moved);
    const failure = sent.failed[0];
    if (failure) {
      throw createError(
        failure.code,
        `moving from "${from.name}" to "${to.name}" stopped after ${moved} messages: ${failure.message}`,
      );
    }
  }
  return moved;
}
