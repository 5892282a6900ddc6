import { AbortedError, ClosedError, type DriverMessage } from '@msgport/core/driver';
import type { BlockingConnection } from './blocking.js';

/** Longest single BLPOP; waits are re-armed after it, so a lost token costs at most this long. */
export const MAX_BLOCK_MS = 10_000;
const IDLE_CLOSE_MS = 30_000;

export interface ReceiveAttempt {
  readonly messages: DriverMessage[];
  /** Milliseconds until the next delayed message or visibility timeout falls due, if any. */
  readonly nextDueInMs: number | undefined;
}

export interface PollerDeps {
  /** The queue's wake-up list, shared by every process. */
  readonly wakeKey: string;
  /** This poller's own wake-up list (same hash tag): `nudge` pushes to it to re-arm the wait. */
  readonly privateKey: string;
  nudge(): Promise<void>;
  readonly transport: string;
  readonly connection: BlockingConnection;
  attempt(maxMessages: number, visibilityTimeoutSeconds: number | undefined): Promise<ReceiveAttempt>;
  /** Makes messages received for an aborted poll visible again; logs a failure itself. */
  release(messages: readonly DriverMessage[]): Promise<void>;
}

export interface WaitRequest {
  readonly maxMessages: number;
  readonly visibilityTimeoutSeconds: number | undefined;
  /** Epoch ms at which the poll returns empty. */
  readonly deadline: number;
  readonly signal?: AbortSignal | undefined;
}

interface Waiter {
  readonly request: WaitRequest;
  state: 'waiting' | 'receiving' | 'done';
  expired: boolean;
  aborted: boolean;
  settle(outcome: DriverMessage[] | Error): void;
}

/**
 * Long polls of one queue in this process. Waiters queue up in arrival order; one loop blocks on
 * the queue's wake-up list (BLPOP on a dedicated connection, at most until the earliest deadline,
 * the next due delay/visibility expiry, or 10 s) and, when woken, runs the receive script for the
 * waiters in order until one comes back empty. Senders push a token only when the list is empty
 * and the receive script pushes one again while messages remain, so wake-ups chain from waiter to
 * waiter (also across processes) without a busy loop. A waiter whose deadline or abort arrives
 * while its receive is running gets that receive's outcome (messages of an aborted poll are made
 * visible again), so no message is lost in flight.
 */
export class QueuePoller {
  readonly #deps: PollerDeps;
  #waiters: Waiter[] = [];
  #running = false;
  #closed = false;
  #nextDueAt: number | undefined;
  /** When the running BLPOP ends by itself. */
  #blockUntil = 0;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(deps: PollerDeps) {
    this.#deps = deps;
  }

  get pending(): number {
    return this.#waiters.length;
  }

  wait(request: WaitRequest, nextDueInMs: number | undefined): Promise<DriverMessage[]> {
    if (this.#closed) return Promise.reject(new ClosedError('receive ended: the broker was closed'));
    if (nextDueInMs !== undefined) this.#noteDue(nextDueInMs);
    // The running BLPOP was armed before this poll saw an earlier due time (a wake-up token taken
    // by another process): wake it so it re-arms. Deadlines need no wake-up: each poll has a timer.
    const dueAt = this.#nextDueAt;
    if (this.#running && dueAt !== undefined && dueAt < this.#blockUntil - 50) {
      this.#deps.nudge().catch(() => undefined);
    }
    clearTimeout(this.#idleTimer);
    return new Promise<DriverMessage[]>((resolve, reject) => {
      const { signal } = request;
      const waiter: Waiter = {
        request,
        state: 'waiting',
        expired: false,
        aborted: false,
        settle: (outcome) => {
          if (waiter.state === 'done') return;
          waiter.state = 'done';
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        },
      };
      const aborted = () =>
        new AbortedError('receive was aborted', { cause: signal?.reason, transport: this.#deps.transport });
      const onAbort = () => {
        waiter.aborted = true;
        if (waiter.state === 'waiting') waiter.settle(aborted());
      };
      const timer = setTimeout(
        () => {
          waiter.expired = true;
          if (waiter.state === 'waiting') waiter.settle([]);
        },
        Math.max(0, request.deadline - Date.now()),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
      if (signal?.aborted) onAbort();
      if (!this.#running) void this.#run();
    });
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#idleTimer);
    // A waiter whose receive is running gets that receive's messages (see #serve).
    for (const waiter of [...this.#waiters]) {
      if (waiter.state === 'waiting') waiter.settle(new ClosedError('receive ended: the broker was closed'));
    }
    this.#deps.connection.close();
  }

  #noteDue(inMs: number): void {
    this.#nextDueAt = Date.now() + inMs;
  }

  async #run(): Promise<void> {
    this.#running = true;
    let failures = 0;
    try {
      while (!this.#closed && this.#waiters.length > 0) {
        const now = Date.now();
        let timeout = MAX_BLOCK_MS;
        for (const waiter of this.#waiters) timeout = Math.min(timeout, waiter.request.deadline - now);
        if (this.#nextDueAt !== undefined) timeout = Math.min(timeout, this.#nextDueAt - now + 5);
        try {
          const blockMs = Math.max(10, timeout);
          this.#blockUntil = Date.now() + blockMs;
          await this.#deps.connection.waitForToken([this.#deps.wakeKey, this.#deps.privateKey], blockMs);
          failures = 0;
        } catch {
          if (this.#closed) break;
          failures++;
          await new Promise((resolve) => setTimeout(resolve, Math.min(100 * failures, 1000)));
        }
        await this.#serve();
      }
    } finally {
      this.#running = false;
      if (!this.#closed) {
        this.#idleTimer = setTimeout(() => this.#deps.connection.interrupt(), IDLE_CLOSE_MS);
        this.#idleTimer.unref();
      }
    }
  }

  /** Runs receives for waiting polls in arrival order until one finds nothing. */
  async #serve(): Promise<void> {
    for (const waiter of [...this.#waiters]) {
      if (this.#closed) return;
      if (waiter.state !== 'waiting') continue;
      waiter.state = 'receiving';
      let result: ReceiveAttempt;
      try {
        result = await this.#deps.attempt(waiter.request.maxMessages, waiter.request.visibilityTimeoutSeconds);
      } catch (error) {
        waiter.settle(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      this.#nextDueAt = undefined;
      if (result.nextDueInMs !== undefined) this.#noteDue(result.nextDueInMs);
      if (waiter.aborted) {
        if (result.messages.length > 0) await this.#deps.release(result.messages).catch(() => undefined);
        waiter.settle(new AbortedError('receive was aborted', { transport: this.#deps.transport }));
        continue;
      }
      if (result.messages.length > 0 || waiter.expired || this.#closed) {
        waiter.settle(result.messages);
        continue;
      }
      waiter.state = 'waiting';
      return;
    }
  }
}
