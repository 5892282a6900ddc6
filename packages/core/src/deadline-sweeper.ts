export interface RaceHooks {
  /** Runs once when the deadline passes first (after the race has rejected), e.g. to abort the work. */
  readonly onExpire?: () => void;
  /** Runs once when the race settles, whichever way. */
  readonly onSettle?: () => void;
}

class PendingCall {
  constructor(
    readonly deadline: number,
    readonly expired: () => Error,
    readonly reject: (error: Error) => void,
    readonly hooks: RaceHooks | undefined,
  ) {}

  expire(): void {
    this.hooks?.onSettle?.();
    this.reject(this.expired());
    this.hooks?.onExpire?.();
  }
}

/**
 * Deadlines for many concurrent calls with one coarse, unref'd timer instead of one `setTimeout`
 * per call: the timer runs only while calls are pending and fails those past their deadline on
 * its next tick, so a deadline is met within `tickMs`.
 */
export class DeadlineSweeper {
  readonly #tickMs: number;
  readonly #pending = new Set<PendingCall>();
  #timer: NodeJS.Timeout | undefined;

  constructor(tickMs: number) {
    this.#tickMs = tickMs;
  }

  /** The tick for calls of `shortestMs`: a tenth of it, from 10 ms to 1 s. */
  static tickFor(shortestMs: number): number {
    return Math.min(1_000, Math.max(10, Math.floor(shortestMs / 10)));
  }

  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Settles as `work` does, or rejects with `expired()` once `deadline` (epoch ms) has passed,
   * whichever comes first. What `work` does after losing is dropped: never an unhandled rejection.
   */
  race<T>(work: Promise<T>, deadline: number, expired: () => Error, hooks?: RaceHooks): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const call = new PendingCall(deadline, expired, reject, hooks);
      this.#pending.add(call);
      this.#timer ??= this.#start();
      work.then(
        (value) => {
          if (!this.#pending.delete(call)) return;
          hooks?.onSettle?.();
          resolve(value);
        },
        (error: unknown) => {
          if (!this.#pending.delete(call)) return;
          hooks?.onSettle?.();
          reject(error);
        },
      );
    });
  }

  #start(): NodeJS.Timeout {
    const timer = setInterval(() => this.#sweep(), this.#tickMs);
    timer.unref();
    return timer;
  }

  #sweep(): void {
    const now = Date.now();
    for (const call of this.#pending) {
      if (call.deadline > now) continue;
      this.#pending.delete(call);
      call.expire();
    }
    if (this.#pending.size === 0 && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
