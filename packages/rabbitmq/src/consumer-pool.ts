import type { ConnectionManager, Link } from './connection.js';
import type { DeliveryOwner, DeliveryTracker } from './delivery-tracker.js';
import { QueueChannel } from './queue-channel.js';
import { ReturnLedger } from './return-ledger.js';

/**
 * Channels a receive may open for one queue. basic.get takes one message per round trip and a
 * channel runs them one at a time, so receives that arrive together get channels of their own.
 */
export const CHANNELS_PER_QUEUE = 8;

interface QueueChannels {
  readonly brokerQueue: string;
  readonly channels: QueueChannel[];
  /** Shared by the queue's channels: a message one returned may be delivered again to another. */
  readonly returns: ReturnLedger;
  opening: Promise<QueueChannel> | undefined;
}

/**
 * The channels of each standard queue, opened on demand (a receive takes an idle one, or opens one
 * while fewer than `CHANNELS_PER_QUEUE` exist) and closed when idle.
 */
export class ConsumerPool {
  readonly #connection: ConnectionManager;
  readonly #tracker: DeliveryTracker;
  readonly #queues = new Map<string, QueueChannels>();

  constructor(connection: ConnectionManager, tracker: DeliveryTracker) {
    this.#connection = connection;
    this.#tracker = tracker;
  }

  async channelFor(queue: string, brokerQueue: string, signal?: AbortSignal): Promise<QueueChannel> {
    const link = await this.#connection.ready(signal);
    const entry = this.#entry(queue, brokerQueue);
    let best: QueueChannel | undefined;
    let choices = 0;
    for (const channel of entry.channels) {
      if (!channel.open || channel.link !== link || channel.reserved) continue;
      choices++;
      if (best === undefined || channel.busy < best.busy) best = channel;
    }
    if (best !== undefined && (best.busy === 0 || entry.opening || choices >= CHANNELS_PER_QUEUE)) {
      return best;
    }
    if (!entry.opening) {
      const owner = entry;
      owner.opening = this.#open(queue, owner, link).finally(() => {
        owner.opening = undefined;
      });
    }
    return entry.opening as Promise<QueueChannel>;
  }

  /**
   * A new channel of the queue that receives never pick for gets and polls (a `QueueFeed`'s). It
   * shares the queue's returns and closes like the others: with the queue, or idle once it holds nothing.
   */
  async reservedChannel(queue: string, brokerQueue: string): Promise<QueueChannel> {
    const link = await this.#connection.ready();
    return this.#open(queue, this.#entry(queue, brokerQueue), link, true);
  }

  /** The queue's open channels (fault injection reaches every one of them). */
  channelsOf(queue: string): QueueChannel[] {
    return this.#queues.get(queue)?.channels.filter((channel) => channel.open) ?? [];
  }

  /** The queue was deleted: its channels go, and with them every handle they held. */
  closeQueue(queue: string): void {
    const entry = this.#queues.get(queue);
    if (!entry) return;
    this.#queues.delete(queue);
    const owners = new Set<DeliveryOwner>(entry.channels);
    this.#tracker.lose((delivery) => owners.has(delivery.owner));
    for (const channel of entry.channels) channel.close();
  }

  close(): void {
    for (const queue of [...this.#queues.keys()]) this.closeQueue(queue);
  }

  #entry(queue: string, brokerQueue: string): QueueChannels {
    let entry = this.#queues.get(queue);
    if (entry?.brokerQueue !== brokerQueue) {
      if (entry) this.closeQueue(queue);
      entry = { brokerQueue, channels: [], returns: new ReturnLedger(), opening: undefined };
      this.#queues.set(queue, entry);
    }
    return entry;
  }

  async #open(queue: string, entry: QueueChannels, link: Link, reserved = false): Promise<QueueChannel> {
    const channel = await link.openChannel();
    const drop = (owner: QueueChannel) => {
      const index = entry.channels.indexOf(owner);
      if (index >= 0) entry.channels.splice(index, 1);
    };
    const owner = new QueueChannel(
      queue,
      entry.brokerQueue,
      link,
      channel,
      entry.returns,
      (idle) => {
        drop(idle);
        idle.close();
      },
      reserved,
    );
    channel.on('close', () => {
      owner.open = false;
      drop(owner);
      // The broker requeued everything this channel held (receive count + 1).
      this.#tracker.lose((delivery) => delivery.owner === owner);
    });
    // Channels of a connection that died are dropped as they close; any left are stale.
    for (const stale of entry.channels.filter((c) => c.link !== link || !c.open)) drop(stale);
    entry.channels.push(owner);
    return owner;
  }
}
