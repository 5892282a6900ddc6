import { isMsgportError } from '@msgport/core/driver';
import { redisFailure, scrubError } from './classify-error.js';
import { connectWithin } from './connect-within.js';
import type { RedisClient } from './connection.js';
import type { ConnectionLog } from './connection-log.js';
import { withinFailoverWindow } from './failover-window.js';
import { type Endpoint, failureError } from './failure-error.js';

export interface CallSettings {
  readonly client: RedisClient;
  readonly endpoint: Endpoint;
  /** See `failover-window.ts`; 0 on a single server by default. */
  readonly failoverWindowMs: number;
  /** Absent when the application manages the client (and its reconnects) itself. */
  readonly log?: ConnectionLog | undefined;
  /** False for a client the application gave us: it is connected (or not) by its owner. */
  readonly connects: boolean;
}

/** Worth retrying through a failover: a lost or refused connection, a cluster or replica in transition. */
function retryable(error: unknown): boolean {
  if (isMsgportError(error)) return error.code === 'Unavailable';
  const kind = redisFailure(error)?.kind;
  return kind === 'connection' || kind === 'failover';
}

/** Reconnect failures no wait can fix: the real reason a call finds no connection. */
function settingsFailure(error: unknown): boolean {
  const kind = redisFailure(error)?.kind;
  return kind === 'credentials' || kind === 'tls' || kind === 'database' || kind === 'sentinel';
}

/**
 * Every Redis call of the driver goes through `run`: it connects a client that is not connected
 * (lazily created, or given up after a failed connect) within the connect deadline, retries
 * failover errors within the failover window, and turns connection-level failures into typed
 * errors in msgport's words. Other errors (a script bug, `WRONGTYPE`) pass through, scrubbed,
 * for core to wrap.
 */
export class RedisCalls {
  readonly #settings: CallSettings;
  #connecting: Promise<void> | undefined;
  #closed = false;
  /** Why the background reconnect fails, when it is a wrong password, certificate or database. */
  #refusedBy: unknown;

  constructor(settings: CallSettings) {
    this.#settings = settings;
    if (settings.connects) {
      settings.client.on('error', (error: unknown) => {
        if (settingsFailure(error)) this.#refusedBy = error;
      });
      settings.client.on('ready', () => {
        this.#refusedBy = undefined;
      });
    }
  }

  get endpoint(): Endpoint {
    return this.#settings.endpoint;
  }

  async run<T>(attempt: () => Promise<T>): Promise<T> {
    const { endpoint, failoverWindowMs, log } = this.#settings;
    try {
      const outcome = await withinFailoverWindow(
        async () => {
          await this.connect();
          try {
            return await attempt();
          } catch (error) {
            // "Not connected" because every reconnect is refused: say why.
            if (this.#refusedBy !== undefined && redisFailure(error)?.kind === 'connection') throw this.#refusedBy;
            throw error;
          }
        },
        {
          windowMs: failoverWindowMs,
          budgetMs: endpoint.callTimeoutMs,
          retryable,
          stopped: () => this.#closed,
        },
      );
      if (outcome.failures > 0) log?.recovered();
      return outcome.value;
    } catch (error) {
      if (isMsgportError(error) || this.#closed) throw error;
      throw failureError(error, endpoint, 'call') ?? scrubError(error);
    }
  }

  /** Connects when the client is not connected or connecting (shared by concurrent calls). */
  async connect(): Promise<void> {
    const { client, endpoint, connects } = this.#settings;
    if (!connects || this.#closed) return;
    if (!this.#connecting) {
      if (client.status !== 'wait' && client.status !== 'end') return;
      this.#connecting = connectWithin(client, endpoint).finally(() => {
        this.#connecting = undefined;
      });
    }
    await this.#connecting;
  }

  close(): void {
    this.#closed = true;
  }
}
