/** A publish waiting for its confirm. */
export interface PendingConfirm {
  /** Marks the confirm as arrived (or failed); `false` when its deadline had already passed. */
  settle(): boolean;
}

class Pending implements PendingConfirm {
  open = true;
  readonly deadline: number;
  readonly reject: (error: Error) => void;

  constructor(deadline: number, reject: (error: Error) => void) {
    this.deadline = deadline;
    this.reject = reject;
  }

  settle(): boolean {
    if (!this.open) return false;
    this.open = false;
    return true;
  }
}

/**
 * The confirm deadlines of one publisher with a single timer. Every publish gets the same timeout, so
 * deadlines fall in publish order: the line is swept from its head when the timer fires, and settled
 * entries are dropped from the head as they go. A publish costs no timer of its own.
 */
export class ConfirmDeadlines {
  readonly #timeoutMs: number;
  readonly #error: (timeoutMs: number) => Error;
  #line: Pending[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number, error: (timeoutMs: number) => Error) {
    this.#timeoutMs = timeoutMs;
    this.#error = error;
  }

  /** Starts the deadline of one publish: `reject` is called with the timeout error unless settled first. */
  add(reject: (error: Error) => void, now = Date.now()): PendingConfirm {
    const pending = new Pending(now + this.#timeoutMs, reject);
    this.#dropSettled();
    this.#line.push(pending);
    if (this.#timer === undefined) this.#arm(this.#timeoutMs);
    return pending;
  }

  /** Forgets every deadline (the publisher closed; its channel's close fails what was waiting). */
  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#line = [];
    this.#head = 0;
  }

  /** Entries held: the publishes still waiting, and settled ones behind the oldest waiting one. */
  get held(): number {
    return this.#line.length - this.#head;
  }

  /** Confirms come in publish order: the settled entries at the head go as new ones come. */
  #dropSettled(): void {
    const line = this.#line;
    while (this.#head < line.length && !(line[this.#head] as Pending).open) this.#head++;
    if (this.#head === line.length) {
      this.#line = [];
      this.#head = 0;
    } else if (this.#head > 1_024 && this.#head * 2 > line.length) {
      this.#line = line.slice(this.#head);
      this.#head = 0;
    }
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => this.#sweep(Date.now()), Math.max(0, ms));
    this.#timer.unref();
  }

  #sweep(now: number): void {
    this.#timer = undefined;
    const line = this.#line;
    while (this.#head < line.length) {
      const pending = line[this.#head] as Pending;
      if (pending.open && pending.deadline > now) break;
      this.#head++;
      if (pending.settle()) pending.reject(this.#error(this.#timeoutMs));
    }
    this.#dropSettled();
    if (this.#head === this.#line.length) return;
    this.#arm((this.#line[this.#head] as Pending).deadline - now);
  }
}
