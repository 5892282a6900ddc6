import { AbortedError, ClosedError, redactCredentials, UnavailableError } from '@msgport/core/driver';
import { type Channel, type ChannelModel, type ConfirmChannel, connect } from 'amqplib';

export const TRANSPORT_NAME = 'rabbitmq';

/** One AMQP connection; a new link (with a higher epoch) replaces it after every reconnect. */
export interface Link {
  readonly epoch: number;
  readonly model: ChannelModel;
  readonly alive: boolean;
  openChannel(): Promise<Channel>;
  openConfirmChannel(): Promise<ConfirmChannel>;
}

export interface ConnectionOptions {
  readonly url: string;
  readonly recoveryTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly connectionName?: string;
}

type SetupHook = (link: Link) => Promise<void>;
type LostHook = (link: Link) => void;

const BACKOFF_FIRST_MS = 100;
const BACKOFF_MAX_MS = 2_000;

class AmqpLink implements Link {
  readonly epoch: number;
  readonly model: ChannelModel;
  alive = true;
  /** Set once the setup hooks ran; a link that dies before is retried by whoever was establishing it. */
  established = false;

  constructor(epoch: number, model: ChannelModel) {
    this.epoch = epoch;
    this.model = model;
  }

  async openChannel(): Promise<Channel> {
    return absorbErrors(await this.model.createChannel());
  }

  async openConfirmChannel(): Promise<ConfirmChannel> {
    return absorbErrors(await this.model.createConfirmChannel());
  }
}

/** Channel errors also arrive as `close`; an unhandled `error` event would crash the process. */
function absorbErrors<C extends Channel>(channel: C): C {
  channel.on('error', () => {});
  return channel;
}

/**
 * Keeps one connection open: reconnects with backoff whenever it drops, runs the setup hooks on each
 * new connection before it counts as ready, and tells the lost hooks which connection died (the broker
 * has requeued everything that connection held unacknowledged).
 */
export class ConnectionManager {
  readonly #options: ConnectionOptions;
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

  constructor(options: ConnectionOptions) {
    this.#options = options;
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

  /** Connects for the first time, retrying until `connectTimeoutMs`. */
  async start(): Promise<void> {
    const deadline = Date.now() + this.#options.connectTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#establish();
        return;
      } catch (error) {
        if (this.#closing) throw new ClosedError('the RabbitMQ transport was closed while connecting');
        const delay = backoff(attempt);
        if (Date.now() + delay > deadline) {
          throw new UnavailableError(`cannot connect to RabbitMQ: ${describe(error)}`, {
            cause: error,
            transport: TRANSPORT_NAME,
          });
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
            `the connection to RabbitMQ is down and did not recover within ${timeoutMs} ms${
              last === undefined ? '' : ` (last attempt: ${describe(last)})`
            }`,
            { transport: TRANSPORT_NAME, ...(last === undefined ? {} : { cause: last }) },
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
      await link.model.close().catch(() => {});
    }
  }

  /** Kills the current connection without a clean close, as a network failure would (tests, recovery). */
  destroyCurrent(): void {
    const connection = this.#link?.model.connection as { stream?: { destroy(error?: Error): void } } | undefined;
    // With an error, as a reset would: amqplib notices at once (a silent close waits for heartbeats).
    connection?.stream?.destroy(Object.assign(new Error('simulated network failure'), { code: 'ECONNRESET' }));
  }

  async #establish(): Promise<void> {
    const model = await connect(this.#options.url, {
      noDelay: true,
      timeout: 5_000,
      clientProperties: { connection_name: this.#options.connectionName ?? 'msgport' },
    });
    if (this.#closing) {
      await model.close().catch(() => {});
      throw closedError();
    }
    const link = new AmqpLink(++this.#epoch, model);
    this.#serverVersion = String(model.connection.serverProperties.version ?? '');
    model.on('error', () => {});
    model.on('close', () => this.#onClose(link));
    this.#link = link;
    try {
      for (const setup of this.#setups) await setup(link);
    } catch (error) {
      await model.close().catch(() => {});
      throw error;
    }
    if (!link.alive || this.#closing) throw new UnavailableError('the connection closed during setup');
    link.established = true;
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
        } catch {
          // A failing hook must not stop recovery.
        }
      }
    }
    if (link.established && !this.#closing) void this.#reconnect();
  }

  async #reconnect(): Promise<void> {
    if (this.#reconnecting) return;
    this.#reconnecting = true;
    try {
      for (let attempt = 0; !this.#closing; attempt++) {
        await sleep(backoff(attempt));
        if (this.#closing) return;
        try {
          await this.#establish();
          this.#lastError = undefined;
          return;
        } catch (error) {
          // Retried with backoff until it works or the transport is closed.
          this.#lastError = error;
        }
      }
    } finally {
      this.#reconnecting = false;
    }
  }
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
