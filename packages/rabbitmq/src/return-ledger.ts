import type { Message } from 'amqplib';

/**
 * A poll does not send `basic.cancel` while a message this process returned (reject with requeue) may be
 * on its way back to one of the queue's consumers: a cancel that overtakes that delivery makes a quorum
 * queue take it back and count a receive that never happened (the next receive reports one too many,
 * and redrive moves it one receive early). It waits until each returned message was delivered again on
 * one of the queue's channels, for at most `RETURN_WAIT_MS` (another client may have taken it), and at
 * least `REQUEUE_GRACE_MS` after returning a message it cannot recognise (no message id).
 */
export const REQUEUE_GRACE_MS = 100;
export const RETURN_WAIT_MS = 1_000;
const RETURN_RECHECK_MS = 5;

/** The messages one queue's channels in this process returned and have not seen delivered again. */
export class ReturnLedger {
  /** Message id → when it was returned (oldest first). */
  readonly #returning = new Map<string, number>();
  /** When a message without an id was last returned (see `REQUEUE_GRACE_MS`). */
  #lastAnonymousReturn = Number.NEGATIVE_INFINITY;

  returned(message: Message): void {
    const id: unknown = message.properties.messageId;
    if (typeof id !== 'string' || id === '') {
      this.#lastAnonymousReturn = Date.now();
      return;
    }
    this.#returning.delete(id);
    this.#returning.set(id, Date.now());
  }

  delivered(message: Message): void {
    if (this.#returning.size === 0) return;
    const id: unknown = message.properties.messageId;
    if (typeof id === 'string') this.#returning.delete(id);
  }

  /** How long a poll should wait before it cancels (0: now). */
  waitBeforeCancel(): number {
    const now = Date.now();
    for (const [id, at] of this.#returning) {
      if (now - at < RETURN_WAIT_MS) break;
      this.#returning.delete(id);
    }
    const grace = this.#lastAnonymousReturn + REQUEUE_GRACE_MS - now;
    return this.#returning.size > 0 ? Math.max(grace, RETURN_RECHECK_MS) : Math.max(grace, 0);
  }
}
