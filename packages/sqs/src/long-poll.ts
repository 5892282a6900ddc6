import { isMsgportError } from '@msgport/core/driver';

export interface PollAnswer<T> {
  /** What the caller gets. */
  readonly items: T[];
  /** How many messages SQS answered with (some may have been withheld, e.g. failed digests). */
  readonly answered: number;
}

/**
 * A long poll that waits as long as asked and no longer. SQS answers a long poll without messages
 * only when its wait is over; fauxqs wakes every waiting poll when a message arrives and answers the
 * ones that lose the race empty at once. Such a poll is resumed for the rest of the time (in whole
 * seconds, as SQS takes them) and given up, through its signal, at the deadline.
 */
export async function longPoll<T>(
  waitTimeSeconds: number,
  signal: AbortSignal | undefined,
  attempt: (waitTimeSeconds: number, signal: AbortSignal | undefined) => Promise<PollAnswer<T>>,
): Promise<T[]> {
  const deadline = Date.now() + waitTimeSeconds * 1000;
  let wait = waitTimeSeconds;
  let current = signal;
  for (;;) {
    let answer: PollAnswer<T>;
    try {
      answer = await attempt(wait, current);
    } catch (error) {
      // the resumed poll reached the deadline: an empty answer, as SQS gives when the wait is over
      if (current !== signal && !signal?.aborted && isMsgportError(error, 'Aborted')) return [];
      throw error;
    }
    const leftMs = deadline - Date.now();
    if (answer.answered > 0 || waitTimeSeconds === 0 || leftMs <= 0) return answer.items;
    wait = Math.ceil(leftMs / 1000);
    const timeout = AbortSignal.timeout(leftMs);
    current = signal ? AbortSignal.any([signal, timeout]) : timeout;
  }
}
