import { type Clock, systemClock } from '../../clock.js';
import { AbortedError, ClosedError } from '../../errors.js';

export interface LongPollOptions {
  /** How long the poll waits for messages before it resolves `[]`. */
  readonly waitMs: number;
  /** The caller's signal: aborting it rejects the poll with `Aborted`. */
  readonly signal?: AbortSignal | undefined;
  /** The driver's close signal: aborting it rejects the poll with `Closed`. */
  readonly closeSignal?: AbortSignal | undefined;
}

/** A waiting receive. */
export interface PendingPoll<P, M> {
  /** What the receive asked for (how many messages, which visibility timeout …). */
  readonly request: P;
  /** Ends the poll with `messages`; `false` when it had already ended (deadline, abort or close). */
  resolve(messages: M[]): boolean;
  /** Ends the poll with `error`; `false` when it had already ended. */
  reject(error: Error): boolean;
}

export interface LongPollsOptions {
  /** The time source of the deadlines; a `ManualClock` in tests. */
  readonly clock?: Clock;
  /** Named in the `Aborted` and `Closed` errors. */
  readonly transport?: string;
  /** Called whenever a poll starts waiting or stops (to arm or disarm the driver's own timers). */
  readonly onChange?: () => void;
}

/** One waiting receive; it listens to its signals itself (`handleEvent`), so a poll costs no closures. */
class Poll<P, M> implements PendingPoll<P, M> {
  readonly request: P;
  /** Still in the line of waiting polls (not shifted out, not ended). */
  queued = true;
  #open = true;
  readonly #owner: LongPolls<P, M>;
  readonly #resolve: (messages: M[]) => void;
  readonly #reject: (error: Error) => void;
  readonly #signal: AbortSignal | undefined;
  readonly #closeSignal: AbortSignal | undefined;
  cancelDeadline: (() => void) | undefined;

  constructor(
    owner: LongPolls<P, M>,
    request: P,
    settle: { resolve: (messages: M[]) => void; reject: (error: Error) => void },
    options: LongPollOptions,
  ) {
    this.#owner = owner;
    this.request = request;
    this.#resolve = settle.resolve;
    this.#reject = settle.reject;
    this.#signal = options.signal;
    this.#closeSignal = options.closeSignal;
    this.#signal?.addEventListener('abort', this, { once: true });
    this.#closeSignal?.addEventListener('abort', this, { once: true });
  }

  resolve(messages: M[]): boolean {
    return this.end(messages);
  }

  reject(error: Error): boolean {
    return this.end(error);
  }

  handleEvent(event: Event): void {
    this.end(event.target === this.#closeSignal ? this.#owner.closedError() : this.#owner.abortedError(this.#signal));
  }

  end(outcome: M[] | Error): boolean {
    if (!this.#open) return false;
    this.#open = false;
    this.cancelDeadline?.();
    this.#signal?.removeEventListener('abort', this);
    this.#closeSignal?.removeEventListener('abort', this);
    this.#owner.left(this);
    if (outcome instanceof Error) this.#reject(outcome);
    else this.#resolve(outcome);
    return true;
  }
}

const NOTHING: never[] = [];

/**
 * The waiting receives of one queue, in arrival order: SQS long polling ("returns as soon as at
 * least one message is available", else `[]` after the wait time). Each poll ends exactly once — with
 * messages, `[]` at its deadline, `Aborted` or `Closed` — and then leaves the set and drops its timer
 * and listeners. The driver serves polls when messages arrive (`serve`, or `first`/`shift` when
 * handing messages over takes asynchronous work).
 */
export class LongPolls<P, M> {
  /** Polls in arrival order from `#head`; ended and shifted ones are skipped and compacted lazily. */
  #line: Poll<P, M>[] = [];
  #head = 0;
  #size = 0;
  readonly #clock: Clock;
  readonly #errorOptions: { transport?: string };
  readonly #onChange: (() => void) | undefined;

  constructor(options: LongPollsOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#errorOptions = options.transport === undefined ? {} : { transport: options.transport };
    this.#onChange = options.onChange;
  }

  /** Polls still waiting in line. */
  get size(): number {
    return this.#size;
  }

  /** Waits until the driver serves this poll, its deadline passes, `signal` aborts or the driver closes. */
  wait(request: P, options: LongPollOptions): Promise<M[]> {
    if (options.signal?.aborted) return Promise.reject(this.abortedError(options.signal));
    if (options.closeSignal?.aborted) return Promise.reject(this.closedError());
    return new Promise<M[]>((resolve, reject) => {
      const poll = new Poll<P, M>(this, request, { resolve, reject }, options);
      poll.cancelDeadline = this.#clock.setTimer(options.waitMs, () => poll.end(NOTHING.slice()));
      this.#line.push(poll);
      this.#size++;
      this.#onChange?.();
    });
  }

  /** The longest-waiting poll, still waiting. */
  first(): PendingPoll<P, M> | undefined {
    const line = this.#line;
    while (this.#head < line.length && !(line[this.#head] as Poll<P, M>).queued) this.#head++;
    if (this.#head > 1_024 && this.#head * 2 > line.length) {
      this.#line = line.slice(this.#head);
      this.#head = 0;
    }
    return this.#line[this.#head];
  }

  /**
   * Takes the longest-waiting poll out of the line without ending it, for drivers that hand messages
   * over asynchronously; its deadline and signals still apply until it is resolved.
   */
  shift(): PendingPoll<P, M> | undefined {
    const poll = this.first() as Poll<P, M> | undefined;
    if (poll) this.#dequeue(poll);
    return poll;
  }

  /** Serves polls in arrival order while `take` finds messages for the first one (`[]`: nothing more). */
  serve(take: (request: P) => M[]): void {
    for (let poll = this.first(); poll !== undefined; poll = this.first()) {
      const messages = take(poll.request);
      if (messages.length === 0) return;
      poll.resolve(messages);
    }
  }

  /** Ends every waiting poll with `error` (the queue was deleted, the connection was lost). */
  rejectAll(error: Error): void {
    for (const poll of this.#line.slice(this.#head)) if (poll.queued) poll.reject(error);
  }

  /** @internal A poll ended. */
  left(poll: Poll<P, M>): void {
    if (poll.queued) this.#dequeue(poll);
    this.#onChange?.();
  }

  /** @internal */
  abortedError(signal: AbortSignal | undefined): AbortedError {
    return new AbortedError('receive was aborted', { cause: signal?.reason, ...this.#errorOptions });
  }

  /** @internal */
  closedError(): ClosedError {
    return new ClosedError('receive ended: the broker was closed', this.#errorOptions);
  }

  #dequeue(poll: Poll<P, M>): void {
    poll.queued = false;
    this.#size--;
    if (this.#size === 0) {
      this.#line = [];
      this.#head = 0;
    }
  }
}
