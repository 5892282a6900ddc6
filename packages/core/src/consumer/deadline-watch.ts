import type { Clock } from '../clock.js';
import type { Invocation } from './invocation.js';

/**
 * Aborts invocations that pass their deadline with one clock timer for all of them. Every
 * invocation of a consumer has the same timeout, so deadlines arrive in start order: a FIFO list
 * whose head decides the next timer, instead of a timer per batch.
 */
export class DeadlineWatch {
  readonly #clock: Clock;
  readonly #onExpired: (invocation: Invocation) => void;
  /** Slots before `#head` are cleared, so finished invocations are not kept alive until the next deadline. */
  #pending: (Invocation | undefined)[] = [];
  #head = 0;
  #cancel: (() => void) | undefined;
  #armedFor: Invocation | undefined;

  constructor(clock: Clock, onExpired: (invocation: Invocation) => void) {
    this.#clock = clock;
    this.#onExpired = onExpired;
  }

  add(invocation: Invocation): void {
    this.#dropFinished();
    this.#pending.push(invocation);
    if (!this.#cancel) this.#arm();
  }

  #dropFinished(): void {
    while (this.#head < this.#pending.length && (this.#pending[this.#head] as Invocation).finished) {
      this.#pending[this.#head++] = undefined;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#pending.length) {
      this.#pending = this.#pending.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Drops finished invocations from the head and keeps the timer on the earliest live deadline. */
  #arm(): void {
    this.#dropFinished();
    const next = this.#pending[this.#head];
    if (!next) {
      this.#pending = [];
      this.#head = 0;
      this.#cancel = undefined;
      this.#armedFor = undefined;
      return;
    }
    if (next === this.#armedFor && this.#cancel) return;
    this.#cancel?.();
    this.#armedFor = next;
    this.#cancel = this.#clock.setTimer(next.deadline - this.#clock.now(), () => this.#fire());
  }

  #fire(): void {
    this.#cancel = undefined;
    this.#armedFor = undefined;
    const now = this.#clock.now();
    while (this.#head < this.#pending.length) {
      const invocation = this.#pending[this.#head] as Invocation;
      if (!invocation.finished && invocation.deadline > now) break;
      this.#pending[this.#head++] = undefined;
      if (!invocation.finished) this.#onExpired(invocation);
    }
    this.#arm();
  }

  stop(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    this.#armedFor = undefined;
    this.#pending = [];
    this.#head = 0;
  }
}
