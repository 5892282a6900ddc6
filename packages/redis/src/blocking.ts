import type { Redis } from 'ioredis';

/**
 * Extra time a BLPOP may take beyond its own timeout before the connection counts as hung (at
 * most the call timeout: a blocking call is bounded by its wait plus the call timeout).
 */
export const WATCHDOG_GRACE_MS = 2000;

/**
 * One dedicated connection for BLPOP on wake-up marker lists, with a watchdog: a BLPOP that has
 * not answered `WATCHDOG_GRACE_MS` after its timeout (a half-open socket, a command replayed after
 * a reconnect) gets its connection destroyed; the next wait opens a fresh one.
 */
export class BlockingConnection {
  readonly #open: () => Promise<Redis>;
  readonly #onFailure: () => void;
  readonly #graceMs: number;
  #connection: Promise<Redis> | undefined;
  #closed = false;
  /** Times the watchdog fired (for tests and diagnostics). */
  hangs = 0;

  /**
   * `onFailure` runs after a failed or hung wait (e.g. to refresh a cluster's slot map);
   * `callTimeoutMs` caps the watchdog's grace.
   */
  constructor(open: () => Promise<Redis>, onFailure: () => void = () => undefined, callTimeoutMs = WATCHDOG_GRACE_MS) {
    this.#open = open;
    this.#onFailure = onFailure;
    this.#graceMs = Math.min(WATCHDOG_GRACE_MS, callTimeoutMs);
  }

  /**
   * Waits until a token is popped from one of `keys` (same slot) or `timeoutMs` passes. Resolves
   * true for a token, and at once (without blocking) when the connection had to be opened first.
   * Rejects on connection failures (after discarding the connection).
   */
  async waitForToken(keys: readonly string[], timeoutMs: number): Promise<boolean> {
    if (this.#closed) throw new Error('Connection is closed.');
    const fresh = this.#connection === undefined;
    const connecting = this.#connection ?? this.#open();
    this.#connection = connecting;
    let connection: Redis;
    try {
      connection = await connecting;
    } catch (error) {
      if (this.#connection === connecting) this.#connection = undefined;
      this.#onFailure();
      throw error;
    }
    // Opening the connection took time in which a wake-up (or a queue deletion, whose tokens the
    // driver removes at once) may have come and gone: report a wake-up, so the caller looks again
    // before it blocks.
    if (fresh) return true;
    const seconds = Math.max(0.01, timeoutMs / 1000).toFixed(3);
    let timer: NodeJS.Timeout | undefined;
    const watchdog = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.hangs++;
        reject(new Error(`the blocking connection did not answer BLPOP within ${timeoutMs + this.#graceMs} ms`));
      }, timeoutMs + this.#graceMs);
    });
    const blpop = connection.call('BLPOP', [...keys, seconds]);
    blpop.catch(() => undefined);
    try {
      const reply = await Promise.race([blpop, watchdog]);
      return reply !== null && reply !== undefined;
    } catch (error) {
      this.#discard(connecting);
      if (!this.#closed) this.#onFailure();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Destroys the current connection (a pending BLPOP rejects); the next wait reconnects. */
  #discard(connecting: Promise<Redis>): void {
    if (this.#connection === connecting) this.#connection = undefined;
    connecting.then(
      (connection) => connection.disconnect(),
      () => undefined,
    );
  }

  /** Ends a pending wait at once and drops the connection. */
  interrupt(): void {
    if (this.#connection) this.#discard(this.#connection);
  }

  close(): void {
    this.#closed = true;
    this.interrupt();
  }
}
