import { UnavailableError } from '@msgport/core/driver';
import type { ConfirmChannel, Message, Options } from 'amqplib';
import { ConfirmDeadlines } from './confirm-deadlines.js';
import { type ConnectionManager, describe, type Link, TRANSPORT_NAME } from './connection.js';

export interface PublishRequest {
  readonly exchange: string;
  readonly routingKey: string;
  readonly content: Buffer;
  /** Must carry a `messageId` when `mandatory` is set: returns are matched by it. */
  readonly options: Options.Publish;
}

/** `returned`: a mandatory message reached no queue (the broker says so before it confirms). */
export type PublishOutcome = 'confirmed' | 'returned';

interface ConfirmState {
  readonly link: Link;
  readonly channel: ConfirmChannel;
  readonly returned: Map<string, number>;
  readonly drainWaiters: Set<{ resolve(): void; reject(error: Error): void }>;
  open: boolean;
  full: boolean;
}

/**
 * Publishes with publisher confirms on one ConfirmChannel per connection. Every publish resolves on
 * its own confirm, so a batch pipelines: N publishes go out back to back and are awaited together.
 * A publish that the channel cannot confirm (nack, channel or connection lost) fails `Unavailable`.
 */
export class Publisher {
  readonly #connection: ConnectionManager;
  /** A blocked connection (a broker resource alarm) holds confirms back indefinitely: they time out. */
  readonly #deadlines: ConfirmDeadlines;
  #state: ConfirmState | undefined;
  #opening: Promise<ConfirmState> | undefined;

  constructor(connection: ConnectionManager, confirmTimeoutMs: number) {
    this.#connection = connection;
    this.#deadlines = new ConfirmDeadlines(confirmTimeoutMs, (ms) =>
      unconfirmed(new Error(`no confirm within ${ms} ms`)),
    );
  }

  async publish(request: PublishRequest): Promise<PublishOutcome> {
    let state = this.#openNow() ?? (await this.#open());
    while (state.full) {
      await new Promise<void>((resolve, reject) => state.drainWaiters.add({ resolve, reject }));
      state = await this.#open();
    }
    return new Promise<PublishOutcome>((resolve, reject) => {
      const messageId = request.options.messageId;
      const pending = this.#deadlines.add(reject);
      const onConfirm = (error: unknown) => {
        if (!pending.settle()) return;
        if (error) {
          // A nack means the queue could not take the message (its leader moved, say): the next
          // publish gets a fresh channel rather than one whose queue state may keep refusing.
          this.#retire(state);
          reject(unconfirmed(error));
          return;
        }
        const returns = messageId === undefined ? 0 : (state.returned.get(messageId) ?? 0);
        if (returns > 0 && messageId !== undefined) {
          if (returns === 1) state.returned.delete(messageId);
          else state.returned.set(messageId, returns - 1);
          resolve('returned');
        } else {
          resolve('confirmed');
        }
      };
      try {
        const accepted = state.channel.publish(
          request.exchange,
          request.routingKey,
          request.content,
          { persistent: true, ...request.options },
          onConfirm,
        );
        if (!accepted) state.full = true;
      } catch (error) {
        if (pending.settle()) reject(unconfirmed(error));
      }
    });
  }

  close(): void {
    this.#deadlines.clear();
    const state = this.#state;
    this.#state = undefined;
    if (state?.open) state.channel.close().catch(() => {});
  }

  #retire(state: ConfirmState): void {
    if (!state.open) return;
    state.open = false;
    if (this.#state === state) this.#state = undefined;
    // Its close fails whatever it still had in flight (each publish's own error).
    state.channel.close().catch(ignoreCloseFailure);
  }

  /** The channel, when it is usable right now (no connection wait, no round of promises per message). */
  #openNow(): ConfirmState | undefined {
    const state = this.#state;
    if (!state?.open || this.#connection.closed) return undefined;
    const link = this.#connection.current;
    return link !== undefined && state.link === link && link.alive ? state : undefined;
  }

  async #open(): Promise<ConfirmState> {
    const link = await this.#connection.ready();
    const state = this.#state;
    if (state?.open && state.link === link && link.alive) return state;
    this.#opening ??= this.#create(link).finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  async #create(link: Link): Promise<ConfirmState> {
    const channel = await link.openConfirmChannel();
    const state: ConfirmState = {
      link,
      channel,
      returned: new Map(),
      drainWaiters: new Set(),
      open: true,
      full: false,
    };
    channel.on('return', (message: Message) => {
      const id = message.properties.messageId;
      if (typeof id === 'string') state.returned.set(id, (state.returned.get(id) ?? 0) + 1);
    });
    channel.on('drain', () => {
      state.full = false;
      for (const waiter of [...state.drainWaiters]) waiter.resolve();
      state.drainWaiters.clear();
    });
    channel.on('close', () => {
      state.open = false;
      const error = unconfirmed(new Error('channel closed'));
      for (const waiter of [...state.drainWaiters]) waiter.reject(error);
      state.drainWaiters.clear();
    });
    this.#state = state;
    return state;
  }
}

function ignoreCloseFailure(): void {
  // The channel is already closing or its connection is gone: either way it is out of use.
}

function unconfirmed(cause: unknown): UnavailableError {
  return new UnavailableError(`RabbitMQ did not confirm the message: ${describe(cause)}`, {
    cause,
    transport: TRANSPORT_NAME,
  });
}
