import {
  AbortedError,
  ClosedError,
  type Logger,
  type MsgportError,
  PermissionDeniedError,
  redactCredentials,
  silentLogger,
  UnavailableError,
} from '@msgport/core/driver';
import type { ChannelModel } from 'amqplib';
import { classifyRabbitError } from './classify-error.js';
import { connectFailure, noNodeReached, TRANSPORT_NAME } from './connect-failure.js';
import { type AmqpHost, formatHost, hostOrder, roundFrom } from './host-order.js';
import { AmqpLink, type Link, openLink } from './link.js';
import type { AmqpEndpoint } from './url.js';

export { TRANSPORT_NAME } from './connect-failure.js';
export type { Link } from './link.js';

export interface ConnectionOptions {
  readonly endpoint: AmqpEndpoint;
  readonly recoveryTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly connectionName?: string;
  /** Where connection loss and recovery are reported. Default: silent. */
  readonly logger?: Logger;
}

type SetupHook = (link: Link) => Promise<void>;
type LostHook = (link: Link) => void;

const BACKOFF_FIRST_MS = 100;
const BACKOFF_MAX_MS = 2_000;
/** The longest one node may take to accept a connection before the next node is tried. */
const ATTEMPT_TIMEOUT_MS = 5_000;
const MIN_ATTEMPT_TIMEOUT_MS = 250;

/** What one round over the cluster's nodes came to when no node could be used. */
class RoundFailed extends Error {
  readonly reasons: readonly string[];
  readonly allAbsent: boolean;
  readonly allSilent: boolean;
  readonly last: unknown;

  constructor(reasons: readonly string[], allAbsent: boolean, allSilent: boolean, last: unknown) {
    super(reasons.join('; '));
    this.reasons = reasons;
    this.allAbsent = allAbsent;
    this.allSilent = allSilent;
    this.last = last;
  }
}

/**
 * Keeps one connection open to one node of the cluster named by the URL: connects to the first node
 * that answers (in the URL's order, or shuffled), and when the connection drops, tries the next node
 * at once, then the others, then backs off and goes round again. It runs the setup hooks on each new
 * connection before it counts as ready, and tells the lost hooks which connection died (the broker
 * has requeued everything that connection held unacknowledged).
 */
export class ConnectionManager {
  readonly #options: ConnectionOptions;
  readonly #hosts: readonly AmqpHost[];
  readonly #logger: Logger;
  readonly #setups: SetupHook[] = [];
  readonly #lost: LostHook[] = [];
  readonly #waiters = new Set<{ resolve(link: Link): void; reject(error: Error): void }>();
  #link: AmqpLink | undefined;
  #ready = false;
  #closing = false;
  #epoch = 0;
  #reconnecting = false;
  #serverVersion = '';
  /** Why the last (re)connect attempt failed, for the error an operation gets when recovery takes too long. */
  #lastError: unknown;
  #lostAt = 0;
  #everEstablished = false;

  constructor(options: ConnectionOptions) {
    this.#options = options;
    this.#hosts = hostOrder(options.endpoint.hosts, options.endpoint.shuffleHosts);
    this.#logger = options.logger ?? silentLogger;
  }

  /** The broker's logger, for the parts of the driver that report what they absorb. */
  get logger(): Logger {
    return this.#logger;
  }

  /** The nodes in the order this process tries them. */
  get hosts(): readonly AmqpHost[] {
    return this.#hosts;
  }

  onSetup(hook: SetupHook): void {
    this.#setups.push(hook);
  }

  onLost(hook: LostHook): void {
    this.#lost.push(hook);
  }

  get closed(): boolean {
    return this.#closing;
  }

  /** `major.minor.patch` reported by the broker. */
  get serverVersion(): string {
    return this.#serverVersion;
  }

  /** The ready link, if connected right now. */
  get current(): Link | undefined {
    return this.#ready ? this.#link : undefined;
  }

  /**
   * Connects for the first time: rounds over the nodes with backoff until `connectTimeoutMs`. Fails at
   * once when a node refuses the login or the virtual host (`PermissionDenied`), or when no node of a
   * round had anything listening (`Unavailable`, in well under a second for refused connections).
   */
  async start(): Promise<void> {
    const deadline = Date.now() + this.#options.connectTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#round(0, deadline);
        return;
      } catch (error) {
        if (this.#closing) throw new ClosedError('the RabbitMQ transport was closed while connecting');
        if (!(error instanceof RoundFailed)) throw error;
        const delay = backoff(attempt);
        if (error.allAbsent || Date.now() + delay >= deadline) {
          const silent = !error.allAbsent && error.allSilent ? { afterMs: this.#options.connectTimeoutMs } : undefined;
          throw noNodeReached(this.#options.endpoint.redactedUrl, error.reasons, error.last, silent);
        }
        await sleep(delay);
      }
    }
  }

  /** The ready link; waits up to `recoveryTimeoutMs` (or until `signal` aborts) while reconnecting. */
  ready(signal?: AbortSignal): Promise<Link> {
    if (this.#closing) return Promise.reject(closedError());
    const link = this.current;
    if (link) return Promise.resolve(link);
    if (signal?.aborted) return Promise.reject(aborted(signal));
    const timeoutMs = this.#options.recoveryTimeoutMs;
    return new Promise<Link>((resolve, reject) => {
      const onAbort = () => waiter.reject(aborted(signal));
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#waiters.delete(waiter);
      };
      const waiter = {
        resolve: (ready: Link) => {
          done();
          resolve(ready);
        },
        reject: (error: Error) => {
          done();
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => {
        const last = this.#lastError;
        waiter.reject(
          new UnavailableError(
            `the connection to RabbitMQ at ${this.#options.endpoint.redactedUrl} is down and no node accepted a new one within ${timeoutMs} ms${
              last === undefined ? '' : ` (${describe(last)})`
            }`,
            { transport: TRANSPORT_NAME, ...(last instanceof RoundFailed ? { cause: last.last } : {}) },
          ),
        );
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.#ready = false;
    for (const waiter of [...this.#waiters]) waiter.reject(closedError());
    const link = this.#link;
    if (link?.alive) {
      link.alive = false;
      // Closing: a connection that fails to close cleanly is gone either way.
      await link.model.close().catch(() => {});
    }
  }

  /** Kills the current connection without a clean close, as a network failure would (tests, recovery). */
  destroyCurrent(): void {
    const connection = this.#link?.model.connection as { stream?: { destroy(error?: Error): void } } | undefined;
    // With an error, as a reset would: amqplib notices at once (a silent close waits for heartbeats).
    connection?.stream?.destroy(Object.assign(new Error('simulated network failure'), { code: 'ECONNRESET' }));
  }

  /**
   * One round: each node once, from `first` on, until one accepts a connection and its setup. A node
   * that refuses the login or the virtual host ends the round with that `PermissionDenied`.
   */
  async #round(first: number, deadline: number | undefined): Promise<void> {
    const reasons: string[] = [];
    let allAbsent = true;
    let allSilent = true;
    let last: unknown;
    const round = roundFrom(this.#hosts.length, first);
    for (const [position, index] of round.entries()) {
      if (this.#closing) throw closedError();
      const host = this.#hosts[index] as AmqpHost;
      let model: ChannelModel;
      try {
        model = await openLink(this.#options.endpoint, host, {
          timeoutMs: attemptTimeout(deadline, round.length - position),
          connectionName: this.#options.connectionName ?? 'msgport',
        });
      } catch (error) {
        if (this.#closing) throw closedError();
        const failure = connectFailure(error, host, this.#options.endpoint);
        if (failure.error) throw failure.error;
        reasons.push(failure.reason);
        if (failure.kind !== 'absent') allAbsent = false;
        if (!failure.timedOut) allSilent = false;
        last = error;
        continue;
      }
      try {
        await this.#setUp(model, host, index);
        return;
      } catch (error) {
        if (this.#closing || error instanceof ClosedError) throw closedError();
        const refused = setupRefused(error, this.#options.endpoint);
        if (refused) throw refused;
        reasons.push(`${formatHost(host)} accepted the connection, but setting up failed: ${describe(error)}`);
        allAbsent = false;
        allSilent = false;
        last = error;
      }
    }
    throw new RoundFailed(reasons, allAbsent, allSilent, last);
  }

  async #setUp(model: ChannelModel, host: AmqpHost, index: number): Promise<void> {
    if (this.#closing) {
      // Closed while connecting: the new connection is not wanted, whether it closes cleanly or not.
      await model.close().catch(() => {});
      throw closedError();
    }
    const recovered = this.#everEstablished;
    const link = new AmqpLink(++this.#epoch, model, formatHost(host), index, recovered);
    this.#serverVersion = String(model.connection.serverProperties.version ?? '');
    // Connection errors are followed by `close`, which is where the loss is handled and logged.
    model.on('error', (error: unknown) => {
      this.#logger.debug('RabbitMQ connection error', {
        transport: TRANSPORT_NAME,
        node: link.node,
        error: describe(error),
      });
    });
    model.on('close', () => this.#onClose(link));
    this.#link = link;
    try {
      for (const setup of this.#setups) await setup(link);
    } catch (error) {
      // The setup failed on this node; the next node is tried, so this connection is dropped as it is.
      await model.close().catch(() => {});
      throw error;
    }
    if (!link.alive || this.#closing) throw new UnavailableError('the connection closed during setup');
    link.established = true;
    this.#everEstablished = true;
    this.#ready = true;
    for (const waiter of [...this.#waiters]) waiter.resolve(link);
  }

  #onClose(link: AmqpLink): void {
    const wasAlive = link.alive;
    link.alive = false;
    if (link !== this.#link) return;
    this.#ready = false;
    if (wasAlive) {
      for (const hook of this.#lost) {
        try {
          hook(link);
        } catch (error) {
          // A failing hook must not stop recovery.
          this.#logger.warn('a RabbitMQ connection-loss handler failed', {
            transport: TRANSPORT_NAME,
            error: describe(error),
          });
        }
      }
    }
    if (link.established && !this.#closing) {
      this.#lostAt = Date.now();
      this.#logger.warn(`lost the connection to RabbitMQ node ${link.node}; reconnecting`, {
        transport: TRANSPORT_NAME,
        node: link.node,
      });
      void this.#reconnect(link.hostIndex + 1);
    }
  }

  /** Rounds over the nodes, the one after the lost node first, without a pause before the first round. */
  async #reconnect(first: number): Promise<void> {
    if (this.#reconnecting) return;
    this.#reconnecting = true;
    try {
      for (let attempt = 0; !this.#closing; attempt++) {
        try {
          await this.#round(first % this.#hosts.length, undefined);
          this.#lastError = undefined;
          const node = this.#link?.node;
          this.#logger.info(`reconnected to RabbitMQ node ${node}`, {
            transport: TRANSPORT_NAME,
            node,
            downMs: Date.now() - this.#lostAt,
          });
          return;
        } catch (error) {
          // Retried with backoff until it works or the transport is closed; operations waiting for
          // the connection fail with this reason after recoveryTimeoutMs.
          this.#lastError = error;
          if (attempt === 0) {
            this.#logger.debug('no RabbitMQ node accepted a connection yet', {
              transport: TRANSPORT_NAME,
              error: describe(error),
            });
          }
        }
        await sleep(backoff(attempt));
      }
    } finally {
      this.#reconnecting = false;
    }
  }
}

/** A setup step the broker refused for lack of permissions: no other node will allow it either. */
function setupRefused(error: unknown, endpoint: AmqpEndpoint): MsgportError | undefined {
  if (error instanceof PermissionDeniedError) return error;
  if (classifyRabbitError(error) !== 'PermissionDenied') return undefined;
  return new PermissionDeniedError(
    `user "${endpoint.username}" may not declare msgport's objects on the virtual host "${endpoint.vhost}" (${describe(error)})`,
    { transport: TRANSPORT_NAME, retryable: false },
  );
}

/** A silent node may take its share of the time left (`nodesLeft` share it), so the others still get a try. */
function attemptTimeout(deadline: number | undefined, nodesLeft: number): number {
  const share = deadline === undefined ? ATTEMPT_TIMEOUT_MS : (deadline - Date.now()) / nodesLeft;
  return Math.round(Math.max(MIN_ATTEMPT_TIMEOUT_MS, Math.min(ATTEMPT_TIMEOUT_MS, share)));
}

function backoff(attempt: number): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** attempt);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

function aborted(signal: AbortSignal | undefined): AbortedError {
  return new AbortedError('the operation was aborted', { cause: signal?.reason, transport: TRANSPORT_NAME });
}

function closedError(): ClosedError {
  return new ClosedError('the RabbitMQ transport is closed', { transport: TRANSPORT_NAME });
}

export function describe(error: unknown): string {
  return redactCredentials(error instanceof Error ? error.message : String(error));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
