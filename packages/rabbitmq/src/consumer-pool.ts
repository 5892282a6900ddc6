import type { ConnectionManager, Link } from './connection.js';
import type { DeliveryOwner, DeliveryTracker } from './delivery-tracker.js';
import { QueueChannel } from './queue-channel.js';
import { ReturnLedger } from './return-ledger.js';

/**
 * Channels a receive may open for one queue. basic.get takes one message per round trip and a
 * channel runs them one at a time, so receives that arrive together get channels of their own.
 */
export const CHANNELS_PER_QUEUE = 8;

/** How long a receive waits for a retiring channel to close before it fails with `Throttled`. */
export const RETIRE_WAIT_MS = 2_000;

/**
 * Free channels of a connection that receives leave to the rest of the driver (publishers, topology,
 * the registry, FIFO dispatchers), so sends go on when consumers of many queues fill the connection:
 * 16 of RabbitMQ's default 2,047, fewer under a small `channelMax`.
 */
export function channelsKeptForOthers(link: Link): number {
  return Math.min(16, Math.floor(link.channelMax / 8));
}

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
    const { best, choices } = leastBusy(entry, link);
    const crowded = link.spareChannels() <= channelsKeptForOthers(link);
    // Past the budget a queue's receives share the channels it has (they take turns on each).
    if (best !== undefined && (best.busy === 0 || entry.opening || choices >= CHANNELS_PER_QUEUE || crowded)) {
      return best;
    }
    if (!entry.opening) {
      const owner = entry;
      owner.opening = this.#openFor(queue, owner, link, crowded).finally(() => {
        owner.opening = undefined;
      });
    }
    return entry.opening as Promise<QueueChannel>;
  }

  /** Another channel for the queue, or (the connection filled up meanwhile) one it has already. */
  async #openFor(queue: string, entry: QueueChannels, link: Link, crowded: boolean): Promise<QueueChannel> {
    if (crowded) await this.#makeRoom(link);
    if (link.spareChannels() <= channelsKeptForOthers(link)) {
      const { best } = leastBusy(entry, link);
      if (best !== undefined) return best;
      throw link.noChannelError(
        'has no channel left for receives: every other queue received from holds only one, or messages on it (open a second broker connection for this many queues)',
      );
    }
    return this.#open(queue, entry, link);
  }

  /**
   * A queue with no channel on a crowded connection: another queue's idle channel makes way (closed
   * as it would be after its idle time anyway), or else a channel of the queue with the most is
   * retired (the one holding fewest messages) to close when its receive in progress ends and it holds
   * nothing, so every queue keeps at least one. A receive waits for that at most `RETIRE_WAIT_MS`
   * (messages may be held for hours); without room by then, opening fails with `Throttled`, retried.
   */
  async #makeRoom(link: Link): Promise<void> {
    const usable = (channel: QueueChannel) => channel.open && channel.link === link && !channel.reserved;
    let richest: QueueChannel[] = [];
    const retiring: QueueChannel[] = [];
    for (const entry of this.#queues.values()) {
      const channels = entry.channels.filter(usable);
      const idle = channels.find((channel) => channel.idle && !channel.retiring);
      if (idle) {
        entry.channels.splice(entry.channels.indexOf(idle), 1);
        await idle.close();
        return;
      }
      retiring.push(...channels.filter((channel) => channel.retiring));
      const kept = channels.filter((channel) => !channel.retiring);
      if (kept.length > richest.length) richest = kept;
    }
    // A retiring channel that holds no message closes when its poll ends: wait for it rather than
    // retire another. One that holds messages may take hours, so then another may retire too.
    let victim = retiring.find((channel) => channel.holding === 0);
    if (victim === undefined && richest.length >= 2) victim = richest.reduce(readierToRetire);
    victim ??= retiring[0];
    if (victim) await atMost(victim.retire(), RETIRE_WAIT_MS);
  }

  /**
   * A new channel of the queue that receives never pick for gets and polls (a `QueueFeed`'s). It
   * shares the queue's returns and closes like the others: with the queue, or idle once it holds nothing.
   */
  async reservedChannel(queue: string, brokerQueue: string): Promise<QueueChannel> {
    const link = await this.#connection.ready();
    // A feed is a speed-up: on a crowded connection the queue does without one.
    if (link.spareChannels() <= channelsKeptForOthers(link)) {
      throw link.noChannelError('has no channel to spare for a feed');
    }
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
    for (const channel of entry.channels) void channel.close();
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
        void idle.close();
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

/** The queue's least busy channel that receives may pick, and how many there are. */
function leastBusy(entry: QueueChannels, link: Link): { best: QueueChannel | undefined; choices: number } {
  let best: QueueChannel | undefined;
  let choices = 0;
  for (const channel of entry.channels) {
    if (!channel.open || channel.link !== link || channel.reserved || channel.retiring) continue;
    choices++;
    if (best === undefined || channel.busy < best.busy) best = channel;
  }
  return { best, choices };
}

/** The channel that will close sooner once retired: fewer messages held, then fewer receives in progress. */
function readierToRetire(a: QueueChannel, b: QueueChannel): QueueChannel {
  if (a.holding !== b.holding) return a.holding < b.holding ? a : b;
  return a.busy <= b.busy ? a : b;
}

/** Resolves when `work` does, or after `ms`, whichever comes first. */
async function atMost(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
