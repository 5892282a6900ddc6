import type { Redis } from 'ioredis';

/** Extra time a BLPOP may take beyond its own timeout before the connection counts as hung. */
export const WATCHDOG_GRACE_MS = 2000;

/**
 * One dedicated connection for BLPOP on wake-up marker lists, with a watchdog: a BLPOP that has
 * not answered `WATCHDOG_GRACE_MS` after its timeout (a half-open socket, a command replayed after
 * a reconnect) gets its connection destroyed; the next wait opens a fresh one.
 */
export class BlockingConnection {
  readonly #open: () => Promise<Redis>;
  readonly #onFailure: () => void;
  #connection: Promise<Redis> | undefined;
  #closed = false;
  /** Times the watchdog fired (for tests and diagnostics). */
  hangs = 0;

  /** `onFailure` runs after a failed or hung wait (e.g. to refresh a cluster's slot map). */
  constructor(open: () => Promise<Redis>, onFailure: () => void = () => undefined) {
    this.#open = open;
    this.#onFailure = onFailure;
  }

  /**
   * Waits until a token is popped from one of `keys` (same slot) or `timeoutMs` passes. Resolves
   * true for a token. Rejects on connection failures (after discarding the connection).
   */
  async waitForToken(keys: readonly string[], timeoutMs: number): Promise<boolean> {
    if (this.#closed) throw new Error('Connection is closed.');
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
    const seconds = Math.max(0.01, timeoutMs / 1000).toFixed(3);
    let timer: NodeJS.Timeout | undefined;
    const watchdog = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.hangs++;
        reject(new Error(`the blocking connection did not answer BLPOP within ${timeoutMs + WATCHDOG_GRACE_MS} ms`));
      }, timeoutMs + WATCHDOG_GRACE_MS);
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
