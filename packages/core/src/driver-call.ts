import type { Driver } from './driver/driver.js';
import { AbortedError, ClosedError, createError, isMsgportError, type MsgportError } from './errors.js';
import { QueueMetricsRegistry } from './metrics/queue-metrics.js';
import { redactCredentials } from './redact.js';

export interface RetryOptions {
  /** Attempts for operations that fail with a retryable error (`Unavailable`, `Throttled`). Default 3. */
  readonly attempts?: number;
  /** First backoff in milliseconds, doubled each attempt. Default 100. */
  readonly backoffMs?: number;
}

/** Wraps every driver call: closed and abort checks, error classification (exactly once) and retries. */
export class DriverCaller {
  readonly driver: Driver;
  readonly metrics = new QueueMetricsRegistry();
  readonly #attempts: number;
  readonly #backoffMs: number;
  #closed = false;

  constructor(driver: Driver, retry: RetryOptions = {}) {
    this.driver = driver;
    this.#attempts = Math.max(1, retry.attempts ?? 3);
    this.#backoffMs = retry.backoffMs ?? 100;
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

  async call<T>(operation: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    this.assertOpen(operation);
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw abortedError(operation, signal, this.driver.transport);
      try {
        return await fn();
      } catch (raw) {
        const error = this.wrap(operation, raw);
        if (!error.retryable || attempt >= this.#attempts || this.#closed) throw error;
        await sleep(this.#backoffMs * 2 ** (attempt - 1));
      }
    }
  }

  wrap(operation: string, raw: unknown): MsgportError {
    if (isMsgportError(raw)) {
      if (raw.transport !== undefined) return raw;
      const stamped = createError(raw.code, raw.message, {
        cause: raw.cause,
        retryable: raw.retryable,
        transport: this.driver.transport,
      });
      if (raw.stack) stamped.stack = raw.stack;
      return stamped;
    }
    if (this.#closed)
      return new ClosedError(`cannot ${operation}: the broker is closed`, {
        cause: raw,
        transport: this.driver.transport,
      });
    const code = this.driver.classifyError?.(raw) ?? 'Internal';
    const detail = raw instanceof Error ? raw.message : String(raw);
    return createError(code, redactCredentials(`${operation} failed: ${detail}`), {
      cause: raw,
      transport: this.driver.transport,
    });
  }
}

export function abortedError(operation: string, signal: AbortSignal, transport?: string): AbortedError {
  return new AbortedError(`${operation} was aborted`, {
    cause: signal.reason,
    ...(transport !== undefined ? { transport } : {}),
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
