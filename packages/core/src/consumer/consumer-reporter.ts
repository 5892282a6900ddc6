import type { EventEmitter } from 'eventemitter3';
import type { MsgportError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import type { ConsumerEvents } from './consumer-events.js';

// Log lines name at most this many message ids; the event always carries all of them.
const IDS_IN_LOG = 10;

/**
 * Makes the consumer's failures visible twice: as events for code that listens, and as log lines
 * (stderr by default, rate-limited) for people who did not think to. A listener that throws is
 * logged, never allowed to break the polling loop that emitted the event.
 */
export class ConsumerReporter {
  readonly #events: EventEmitter<ConsumerEvents>;
  readonly #logger: Logger;
  readonly #queue: string;
  #held: (() => void)[] | undefined;

  constructor(events: EventEmitter<ConsumerEvents>, logger: Logger, queue: string) {
    this.#events = events;
    this.#logger = logger;
    this.#queue = queue;
  }

  get logger(): Logger {
    return this.#logger;
  }

  handlerError(error: unknown, messageIds: readonly string[]): void {
    this.#logger.error('consumer handler failed; its messages will be retried', {
      queue: this.#queue,
      messages: messageIds.length,
      messageIds: messageIds.length > IDS_IN_LOG ? messageIds.slice(0, IDS_IN_LOG) : messageIds,
      error,
    });
    this.emit('handlerError', error, messageIds);
  }

  transportError(operation: string, error: MsgportError, retryInMs?: number): void {
    const fields = {
      queue: this.#queue,
      code: error.code,
      retryable: error.retryable,
      error: error.message,
      ...(retryInMs !== undefined ? { retryInMs: Math.round(retryInMs) } : {}),
    };
    this.#logger[error.retryable ? 'warn' : 'error'](`consumer ${operation} failed`, fields);
    this.emit('transportError', error);
  }

  warning(message: string): void {
    this.#logger.warn(`consumer: ${message}`, { queue: this.#queue });
    this.emit('warning', message);
  }

  /**
   * Queues events until `flush()`: `consume()` resolves before its caller can attach listeners,
   * so what happens while it starts (the first `concurrency`, guard-rail warnings) is delivered,
   * in order, on the next turn of the event loop.
   */
  hold(): readonly (() => void)[] {
    this.#held ??= [];
    return this.#held;
  }

  /** Delivers what is held; with `hold`, only if that hold is still the current one (not one of a later start). */
  flush(hold?: readonly (() => void)[]): void {
    const held = this.#held;
    if (hold !== undefined && held !== hold) return;
    this.#held = undefined;
    for (const deliver of held ?? []) deliver();
  }

  emit<E extends keyof ConsumerEvents>(event: E, ...args: Parameters<ConsumerEvents[E]>): void {
    if (this.#held) {
      this.#held.push(() => this.emit(event, ...args));
      return;
    }
    try {
      (this.#events.emit as (event: E, ...rest: Parameters<ConsumerEvents[E]>) => boolean)(event, ...args);
    } catch (error) {
      this.#logger.error(`a "${event}" listener of the consumer threw`, { queue: this.#queue, error });
    }
  }

  /** Whether anyone listens: ids and event objects are built only then (batches are hot). */
  listens(event: keyof ConsumerEvents): boolean {
    return this.#held !== undefined || this.#events.listenerCount(event) > 0;
  }
}
