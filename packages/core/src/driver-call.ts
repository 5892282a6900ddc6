import { DeadlineSweeper } from './deadline-sweeper.js';
import { DEFAULT_DEADLINES, type Deadlines } from './deadlines.js';
import type { Driver } from './driver/driver.js';
import { endpointSuffix } from './driver-endpoint.js';
import { AbortedError, ClosedError, isMsgportError, type MsgportError, TimeoutError } from './errors.js';
import { QueueMetricsRegistry } from './metrics/queue-metrics.js';
import { type Redactor, redactorOf } from './secrets.js';
import { markSanitized, messageOf, sanitizeMsgportError, wrapRawError } from './transport-cause.js';
import { optionsObject } from './validation/options.js';
import { assertOptionalIntegerInRange } from './validation/ranges.js';

export interface RetryOptions {
  /** Attempts for operations that fail with a retryable error (`Unavailable`, `Throttled`). Default 3. */
  readonly attempts?: number;
  /** First backoff in milliseconds, doubled each attempt. Default 100. */
  readonly backoffMs?: number;
}

export interface CallOptions {
  /** The caller's signal: checked before each attempt and, for `abortable` calls, passed on. */
  readonly signal?: AbortSignal | undefined;
  /** Time the call may take beyond `callTimeoutMs`, such as a long poll's wait. */
  readonly waitMs?: number;
  /**
   * Give the driver a signal that fires when the caller aborts or the deadline passes (reason: the
   * `TimeoutError`), so it can stop waiting and release what it holds. Used for `receive`.
   */
  readonly abortable?: boolean;
}

/**
 * Wraps every driver call: closed and abort checks, a deadline, error classification and
 * sanitizing (exactly once), and retries of retryable errors within the same deadline.
 */
export class DriverCaller {
  readonly driver: Driver;
  readonly metrics = new QueueMetricsRegistry();
  readonly deadlines: Deadlines;
  readonly #attempts: number;
  readonly #backoffMs: number;
  readonly #sweeper: DeadlineSweeper;
  readonly #redactor: Redactor;
  #closed = false;

  constructor(driver: Driver, options: { retry?: RetryOptions | null; deadlines?: Deadlines } = {}) {
    const retry = checkedRetryOptions(options.retry);
    this.driver = driver;
    this.deadlines = options.deadlines ?? DEFAULT_DEADLINES;
    this.#attempts = retry.attempts ?? 3;
    this.#backoffMs = retry.backoffMs ?? 100;
    this.#sweeper = new DeadlineSweeper(DeadlineSweeper.tickFor(this.deadlines.callTimeoutMs));
    this.#redactor = redactorOf(driver);
  }

  get closed(): boolean {
    return this.#closed;
  }

  markClosed(): void {
    this.#closed = true;
  }

  assertOpen(operation: string): void {
    if (this.#closed)
      throw new ClosedError(`cannot ${operation}: the broker is closed`, { transport: this.driver.transport });
  }

  /**
   * Runs `fn` within `callTimeoutMs` (+ `waitMs`) for all attempts together: a retry only starts
   * when its backoff ends before the deadline, so no call outlives it by more than a sweeper tick.
   */
  async call<T>(operation: string, fn: (signal?: AbortSignal) => Promise<T>, options: CallOptions = {}): Promise<T> {
    this.assertOpen(operation);
    const budgetMs = this.deadlines.callTimeoutMs + (options.waitMs ?? 0);
    const deadline = Date.now() + budgetMs;
    for (let attempt = 1; ; attempt++) {
      const { signal } = options;
      if (signal?.aborted) throw abortedError(operation, signal, this.driver.transport);
      try {
        return await this.#attempt(operation, fn, options, deadline, budgetMs);
      } catch (raw) {
        const error = this.wrap(operation, raw);
        const backoffMs = this.#backoffMs * 2 ** (attempt - 1);
        if (!error.retryable || attempt >= this.#attempts || this.#closed || Date.now() + backoffMs >= deadline) {
          throw error;
        }
        await sleep(backoffMs);
        this.assertOpen(operation);
      }
    }
  }

  #attempt<T>(
    operation: string,
    fn: (signal?: AbortSignal) => Promise<T>,
    options: CallOptions,
    deadline: number,
    budgetMs: number,
  ): Promise<T> {
    // In-process drivers cannot hang on a peer; they skip the bookkeeping.
    if (this.driver.local) return fn(options.signal);
    const expired = () => this.#timeout(operation, budgetMs);
    if (!options.abortable) return this.#sweeper.race(invoke(fn, options.signal), deadline, expired);
    const controller = new AbortController();
    const signal = options.signal;
    const forwardAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', forwardAbort, { once: true });
    let timeout: TimeoutError | undefined;
    return this.#sweeper.race(
      invoke(fn, controller.signal),
      deadline,
      () => {
        timeout = expired();
        return timeout;
      },
      {
        onExpire: () => controller.abort(timeout),
        onSettle: () => signal?.removeEventListener('abort', forwardAbort),
      },
    );
  }

  #timeout(operation: string, budgetMs: number): TimeoutError {
    return markSanitized(
      new TimeoutError(`${operation}${endpointSuffix(this.driver)} did not finish within ${budgetMs} ms`, {
        transport: this.driver.transport,
      }),
    );
  }

  /** Closes the driver within `callTimeoutMs`. */
  async closeDriver(): Promise<void> {
    const close = Promise.resolve().then(() => this.driver.close());
    if (this.driver.local) return close;
    const ms = this.deadlines.callTimeoutMs;
    const transport = this.driver.transport;
    await this.#sweeper
      .race(
        close,
        Date.now() + ms,
        () => new TimeoutError(`closing the broker took longer than ${ms} ms`, { transport }),
      )
      .catch((raw: unknown) => {
        throw this.#wrapOpen('close', raw);
      });
  }

  /**
   * The error a caller sees for what a driver threw: a `MsgportError` with the driver's code, the
   * transport's name, a message free of the URL's secrets, and a cause chain of plain summaries
   * (`TransportCause`) instead of raw client errors. Wrapping twice changes nothing.
   */
  wrap(operation: string, raw: unknown): MsgportError {
    if (this.#closed && !isMsgportError(raw)) {
      const transport = this.driver.transport;
      return markSanitized(new ClosedError(`cannot ${operation}: the broker is closed`, { transport }));
    }
    return this.#wrapOpen(operation, raw);
  }

  #wrapOpen(operation: string, raw: unknown): MsgportError {
    const transport = this.driver.transport;
    if (isMsgportError(raw)) return sanitizeMsgportError(raw, this.#redactor, transport);
    const code = this.driver.classifyError?.(raw) ?? 'Internal';
    return wrapRawError(raw, code, `${operation} failed: ${messageOf(raw)}`, this.#redactor, transport);
  }
}

/** The `retry` option, checked: attempts 1–100, backoffMs 0–60,000. */
export function checkedRetryOptions(retry: RetryOptions | null | undefined): RetryOptions {
  const given = optionsObject<RetryOptions>('retry', retry);
  assertOptionalIntegerInRange('retry.attempts', given.attempts, 1, 100);
  assertOptionalIntegerInRange('retry.backoffMs', given.backoffMs, 0, 60_000);
  return given;
}

/** Calls `fn`, turning a synchronous throw into a rejection. */
function invoke<T>(fn: (signal?: AbortSignal) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  try {
    return fn(signal);
  } catch (error) {
    return Promise.reject(error);
  }
}

export function abortedError(operation: string, signal: AbortSignal, transport?: string): AbortedError {
  return new AbortedError(`${operation} was aborted`, {
    cause: signal.reason,
    ...(transport !== undefined ? { transport } : {}),
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
