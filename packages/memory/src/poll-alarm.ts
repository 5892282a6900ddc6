import type { Clock } from '@msgport/core/driver';

/**
 * One clock timer, set to when the next delayed message or visibility expiry falls due, while long
 * polls wait for it; moving it to the same time again keeps the timer that is set.
 */
export class PollAlarm {
  readonly #clock: Clock;
  readonly #due: () => void;
  #at: number | undefined;
  #cancel: (() => void) | undefined;

  /** `due` runs when the alarm goes off. */
  constructor(clock: Clock, due: () => void) {
    this.#clock = clock;
    this.#due = due;
  }

  /** Goes off at `at` (epoch milliseconds); `undefined` leaves the alarm as it is. */
  set(at: number | undefined): void {
    if (at === undefined || at === this.#at) return;
    this.#cancel?.();
    this.#at = at;
    this.#cancel = this.#clock.setTimer(at - this.#clock.now(), () => {
      this.#cancel = undefined;
      this.#at = undefined;
      this.#due();
    });
  }

  cancel(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    this.#at = undefined;
  }
}
