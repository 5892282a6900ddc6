import type { Clock } from '../clock.js';
import { isMsgportError, MsgportError } from '../errors.js';
import type { Queue } from '../queue.js';
import type { ReceivedMessage } from '../received-message.js';

export interface HeartbeatSettings {
  readonly everySeconds: number;
  /** What each beat extends the visibility to (the queue's visibility timeout, read at start). */
  readonly visibilityTimeoutSeconds: number;
  readonly clock: Clock;
  readonly onError: (error: MsgportError) => void;
}

/**
 * Extends a batch's visibility while its handler runs. `stop()` cancels the next beat and waits
 * for a beat in flight, so no request of the heartbeat outlives the batch. A failed beat is
 * reported and the next one still runs.
 */
export class Heartbeat {
  readonly #queue: Queue<unknown>;
  readonly #messages: readonly ReceivedMessage<unknown>[];
  readonly #settings: HeartbeatSettings;
  #cancel: (() => void) | undefined;
  #beating: Promise<void> | undefined;
  #stopped = false;

  constructor(queue: Queue<unknown>, messages: readonly ReceivedMessage<unknown>[], settings: HeartbeatSettings) {
    this.#queue = queue;
    this.#messages = messages;
    this.#settings = settings;
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancel?.();
    await this.#beating;
  }

  #schedule(): void {
    this.#cancel = this.#settings.clock.setTimer(this.#settings.everySeconds * 1000, () => {
      this.#beating = this.#beat().finally(() => {
        this.#beating = undefined;
        if (!this.#stopped) this.#schedule();
      });
    });
  }

  async #beat(): Promise<void> {
    if (this.#stopped) return;
    const { visibilityTimeoutSeconds } = this.#settings;
    try {
      const result = await this.#queue.changeVisibilityBatch(
        this.#messages.map((message, index) => ({
          id: `h${index}`,
          receiptHandle: message.receiptHandle,
          visibilityTimeoutSeconds,
        })),
      );
      for (const failure of result.failed) {
        this.#settings.onError(new MsgportError(failure.code, `heartbeat failed: ${failure.message}`));
      }
    } catch (error) {
      this.#settings.onError(
        isMsgportError(error)
          ? error
          : new MsgportError('Internal', `heartbeat failed: ${String(error)}`, { cause: error }),
      );
    }
  }
}
