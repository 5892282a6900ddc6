import { UnavailableError } from '@msgport/core/driver';
import type { Channel } from 'amqplib';
import { type ConnectionManager, type Link, TRANSPORT_NAME } from './connection.js';

const OPERATION_TIMEOUT_MS = 30_000;

interface OpenChannel {
  readonly link: Link;
  readonly channel: Channel;
  open: boolean;
}

/**
 * A channel for declarations and passive checks, used one operation at a time. A failed passive
 * declare (404) or an inequivalent declare (406) closes the channel on the broker; the slot opens a
 * fresh one for the next operation, so such errors never touch the channels holding messages.
 */
export class ChannelSlot {
  readonly #connection: ConnectionManager;
  #current: OpenChannel | undefined;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(connection: ConnectionManager) {
    this.#connection = connection;
  }

  /**
   * Runs `operation` on the slot's channel after every operation queued before it. An operation the
   * broker does not answer within the timeout (e.g. a broker out of file handles) fails `Unavailable`
   * and takes the channel with it, so later operations do not queue behind it.
   */
  run<T>(operation: (channel: Channel) => Promise<T>): Promise<T> {
    const result = this.#tail.then(async () => {
      const channel = await this.#channel();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          this.close();
          reject(
            new UnavailableError(`RabbitMQ did not answer within ${OPERATION_TIMEOUT_MS} ms`, {
              transport: TRANSPORT_NAME,
            }),
          );
        }, OPERATION_TIMEOUT_MS);
      });
      try {
        return await Promise.race([operation(channel), timeout]);
      } finally {
        clearTimeout(timer);
      }
    });
    // The tail only orders operations; each caller gets (and handles) its own result.
    this.#tail = result.catch(() => {});
    return result;
  }

  /** The queue's ready-message count, or `undefined` when the queue does not exist. */
  checkQueue(name: string): Promise<number | undefined> {
    return this.run(async (channel) => {
      try {
        return (await channel.checkQueue(name)).messageCount;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });
  }

  checkExchange(name: string): Promise<boolean> {
    return this.run(async (channel) => {
      try {
        await channel.checkExchange(name);
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    });
  }

  async #channel(): Promise<Channel> {
    const link = await this.#connection.ready();
    const current = this.#current;
    if (current?.open && current.link === link && link.alive) return current.channel;
    const channel = await link.openChannel();
    const opened: OpenChannel = { link, channel, open: true };
    channel.on('close', () => {
      opened.open = false;
    });
    this.#current = opened;
    return channel;
  }

  close(): void {
    const current = this.#current;
    this.#current = undefined;
    // Dropped either way; a channel that fails to close is closed by its connection's end.
    if (current?.open) current.channel.close().catch(() => {});
  }
}

export function isNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 404;
}

export function isPreconditionFailed(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 406;
}

/** A harmless RPC (a passive declare of a built-in exchange): its reply follows every earlier frame. */
export async function flushChannel(channel: Channel): Promise<void> {
  await channel.checkExchange('amq.direct');
}
