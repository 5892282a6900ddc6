import type { Clock } from '../clock.js';
import type { MsgportError } from '../errors.js';

/** The longest pause after errors that retrying will not fix (a missing queue, denied access). */
export const PERSISTENT_ERROR_BACKOFF_MAX_MS = 60_000;
/** The longest pause after transient errors (the transport is unavailable, throttled, slow). */
export const TRANSIENT_ERROR_BACKOFF_MAX_MS = 20_000;
const FIRST_BACKOFF_MS = 1_000;

/**
 * How long a poller waits after its `failures`-th receive failure in a row. Both kinds double
 * from one second; transient errors use "equal jitter" (half fixed, half random) so pollers that
 * failed together do not come back together; persistent ones wait the full doubling up to 60 s
 * (jittered by at most a tenth, downwards), as the queue will not reappear any sooner.
 */
export function receiveBackoffMs(error: MsgportError, failures: number, random: () => number = Math.random): number {
  const doubling = FIRST_BACKOFF_MS * 2 ** Math.min(Math.max(0, failures - 1), 16);
  if (error.retryable) {
    const ceiling = Math.min(TRANSIENT_ERROR_BACKOFF_MAX_MS, doubling);
    return ceiling / 2 + random() * (ceiling / 2);
  }
  const ceiling = Math.min(PERSISTENT_ERROR_BACKOFF_MAX_MS, doubling);
  return ceiling * (0.9 + 0.1 * random());
}

/**
 * Sleeps on the consumer's clock that `stop()` can cut short, without leaving a listener behind
 * on any signal: each sleep is a timer plus an entry in a set, both removed when it ends.
 */
export class Sleeper {
  readonly #clock: Clock;
  readonly #pending = new Set<() => void>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  get pending(): number {
    return this.#pending.size;
  }

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        cancel();
        this.#pending.delete(wake);
        resolve();
      };
      const cancel = this.#clock.setTimer(ms, wake);
      this.#pending.add(wake);
    });
  }

  wakeAll(): void {
    for (const wake of [...this.#pending]) wake();
  }
}
