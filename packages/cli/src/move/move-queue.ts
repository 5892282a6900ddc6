import { moveMessages, type Queue } from '@msgport/core';
import { sleep } from '../interrupt.js';

export interface MoveQueueOptions {
  /** Messages per second at most; default unlimited. */
  readonly rate?: number;
  readonly onProgress?: (moved: number) => void;
  /** Stops between batches: the batch in flight is sent and deleted first, so nothing is left half-moved. */
  readonly signal?: AbortSignal;
}

export interface MoveQueueResult {
  readonly moved: number;
  /** True when the signal stopped the move before the source was empty. */
  readonly interrupted: boolean;
}

/**
 * Moves every message of `from` to `to` with core's `moveMessages` (receive, send, then delete:
 * at least once), one batch of at most 10 at a time so that a stop request, or the rate limit,
 * takes effect between batches and never in the middle of one.
 */
export async function moveQueue(
  from: Queue<unknown>,
  to: Queue<unknown>,
  options: MoveQueueOptions = {},
): Promise<MoveQueueResult> {
  const rate = options.rate;
  const batch = rate === undefined ? 10 : Math.max(1, Math.min(10, Math.floor(rate)));
  const started = Date.now();
  let moved = 0;
  for (;;) {
    if (options.signal?.aborted) return { moved, interrupted: true };
    const step = await moveMessages(from, to, { maxMessages: batch });
    if (step === 0) return { moved, interrupted: false };
    moved += step;
    options.onProgress?.(moved);
    if (rate !== undefined) {
      const due = started + (moved / rate) * 1000;
      await sleep(due - Date.now(), options.signal);
    }
  }
}
