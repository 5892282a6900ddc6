import { createError, InvalidParameterError } from './errors.js';
import { pendingEventLoopTurn } from './event-loop-turn.js';
import { Queue } from './queue.js';
import { optionalFunction, optionalSignal, optionsObject } from './validation/options.js';
import { assertOptionalIntegerInRange, describe } from './validation/ranges.js';

export interface MoveMessagesOptions {
  /** Stop after this many messages; default: until `from` is empty. */
  readonly maxMessages?: number;
  readonly onProgress?: (moved: number) => void;
  readonly signal?: AbortSignal;
}

// Long enough to send and delete a batch; if the process dies meanwhile the messages reappear in `from`.
const IN_FLIGHT_SECONDS = 60;

// Empty short polls in a row that end the move while messages remain that cannot be received
// (a FIFO group held by a message in flight elsewhere, or SQS sampling too few servers).
const EMPTY_RECEIVES_TO_STOP = 3;

/**
 * Moves messages between two queues, possibly on different brokers (e.g. Redis → SQS during a
 * migration): receive → send → delete, so a crash in between duplicates a message but never loses
 * one. Bodies, attributes and FIFO group ids are kept; each move is a new message on `to`. Ends
 * when `from` has nothing left to receive; returns the number moved.
 */
export async function moveMessages(
  from: Queue<unknown>,
  to: Queue<unknown>,
  options?: MoveMessagesOptions | null,
): Promise<number> {
  if (!(from instanceof Queue) || !(to instanceof Queue)) {
    throw new InvalidParameterError(`moveMessages needs two queues, got ${describe(from)} and ${describe(to)}`);
  }
  if (Queue.same(from, to)) throw new InvalidParameterError(`cannot move messages from "${from.name}" to itself`);
  const given = optionsObject('moveMessages options', options);
  assertOptionalIntegerInRange('maxMessages', given.maxMessages, 1, Number.MAX_SAFE_INTEGER);
  const onProgress = optionalFunction<(moved: number) => void>('onProgress', given.onProgress);
  const signal = optionalSignal('signal', given.signal);
  const limit = given.maxMessages ?? Number.POSITIVE_INFINITY;
  let moved = 0;
  let emptyReceives = 0;
  while (moved < limit && emptyReceives < EMPTY_RECEIVES_TO_STOP) {
    await pendingEventLoopTurn();
    const batch = await from.receive({
      maxMessages: Math.min(10, limit - moved),
      waitTimeSeconds: 0,
      visibilityTimeoutSeconds: IN_FLIGHT_SECONDS,
      ...(signal ? { signal } : {}),
    });
    if (batch.length === 0) {
      emptyReceives++;
      if ((await from.getAttributes()).visible === 0) break;
      continue;
    }
    emptyReceives = 0;
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
    onProgress?.(moved);
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
