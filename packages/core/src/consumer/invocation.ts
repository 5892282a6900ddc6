import { setMaxListeners } from 'node:events';
import type { BatchOutcome } from './batch-response.js';

/**
 * One handler invocation that can be aborted (timeout or forced stop). The AbortSignal handed to
 * the handler is created only if the handler reads it, since most never do and batches are hot.
 */
export class Invocation {
  readonly deadline: number;
  #controller: AbortController | undefined;
  #reason: unknown;
  #aborted = false;
  #finished = false;
  #onAbort: ((reason: unknown) => void) | undefined;

  constructor(deadline: number) {
    this.deadline = deadline;
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  get finished(): boolean {
    return this.#finished;
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      // One signal per invocation, dropped with it: a handler may listen once per message of a
      // batch of up to 10,000 (a fetch each, a process span each), which is use, not a leak.
      setMaxListeners(0, this.#controller.signal);
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    if (this.#aborted || this.#finished) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    this.#onAbort?.(reason);
  }

  finish(): void {
    this.#finished = true;
    this.#onAbort = undefined;
  }

  /** The handler's outcome, or a failure as soon as the invocation is aborted. */
  race(work: Promise<BatchOutcome>): Promise<BatchOutcome> {
    if (this.#aborted) return Promise.resolve(abortedOutcome(this.#reason));
    return new Promise((resolve) => {
      this.#onAbort = (reason) => resolve(abortedOutcome(reason));
      work.then(resolve, (error: unknown) => resolve({ kind: 'failure', reason: 'the handler threw', error }));
    });
  }
}

function abortedOutcome(reason: unknown): BatchOutcome {
  return { kind: 'failure', reason: 'the invocation was aborted', error: reason };
}
