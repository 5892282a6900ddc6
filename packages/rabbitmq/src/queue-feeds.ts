import type { Logger } from '@msgport/core/driver';
import type { Message } from 'amqplib';
import { errorCodeOf } from './classify-error.js';
import { describe, TRANSPORT_NAME } from './connection.js';
import type { ConsumerPool } from './consumer-pool.js';
import { QueueFeed } from './queue-feed.js';

/**
 * A queue feeds once receives took this many messages with gets and polls within
 * `FEED_AFTER_WINDOW_MS`: a steady load, where a round trip per message is the bottleneck.
 */
export const FEED_AFTER_MESSAGES = 200;
export const FEED_AFTER_WINDOW_MS = 2_000;

interface Demand {
  windowStart: number;
  messages: number;
}

export interface QueueFeedsDeps {
  readonly pool: ConsumerPool;
  /** Puts an unserved delivery of `brokerQueue` back without counting a receive. */
  readonly returnUnserved: (raw: Message, brokerQueue: string) => Promise<boolean>;
  readonly logger: Logger;
}

/**
 * The `QueueFeed` of each standard queue under steady load. Receives report what gets and polls
 * brought (`noteReceived`); once that passes `FEED_AFTER_MESSAGES` in `FEED_AFTER_WINDOW_MS` the
 * queue gets a feed, which stops by itself when receives stop asking.
 */
export class QueueFeeds {
  readonly #deps: QueueFeedsDeps;
  readonly #feeds = new Map<string, QueueFeed>();
  readonly #starting = new Set<string>();
  readonly #demand = new Map<string, Demand>();
  readonly #startWatchers = new Map<string, Set<() => void>>();
  #closed = false;
  #giveUpAt = Number.POSITIVE_INFINITY;

  constructor(deps: QueueFeedsDeps) {
    this.#deps = deps;
  }

  /** The queue's running feed, if it has one. */
  running(queue: string): QueueFeed | undefined {
    const feed = this.#feeds.get(queue);
    return feed?.running ? feed : undefined;
  }

  /** Calls `listener` once, when `queue`'s next feed starts running; returns how to stop listening. */
  onceRunning(queue: string, listener: () => void): () => void {
    let watchers = this.#startWatchers.get(queue);
    if (!watchers) {
      watchers = new Set();
      this.#startWatchers.set(queue, watchers);
    }
    watchers.add(listener);
    return () => {
      watchers.delete(listener);
      if (watchers.size === 0 && this.#startWatchers.get(queue) === watchers) this.#startWatchers.delete(queue);
    };
  }

  /** Visible messages buffered for `queue` in this process. */
  buffered(queue: string): number {
    return this.#feeds.get(queue)?.buffered ?? 0;
  }

  /** Gets and polls of a receive brought `count` messages of `queue`. */
  noteReceived(queue: string, brokerQueue: string, count: number, now = Date.now()): void {
    if (count === 0 || this.#closed) return;
    let demand = this.#demand.get(queue);
    if (!demand || now - demand.windowStart > FEED_AFTER_WINDOW_MS) {
      demand = { windowStart: now, messages: 0 };
      this.#demand.set(queue, demand);
    }
    demand.messages += count;
    if (demand.messages < FEED_AFTER_MESSAGES) return;
    this.#demand.delete(queue);
    if (!this.#feeds.has(queue) && !this.#starting.has(queue)) void this.#start(queue, brokerQueue);
  }

  purge(queue: string, purged: (raw: Message) => boolean): void {
    this.#feeds.get(queue)?.purge(purged);
  }

  /** The queue was deleted or replaced: its feed's channel closes with the queue's others. */
  forget(queue: string): void {
    this.#feeds.delete(queue);
    this.#demand.delete(queue);
  }

  /**
   * Stops every feed, putting their buffers back before the channels close, until `giveUpAt`.
   * Resolves with how many deliveries the feeds left unsettled then.
   */
  async close(giveUpAt: number): Promise<number> {
    this.#closed = true;
    this.#giveUpAt = giveUpAt;
    const feeds = [...this.#feeds.values()];
    this.#feeds.clear();
    const left = await Promise.all(feeds.map((feed) => feed.stop(giveUpAt)));
    return left.reduce((sum, count) => sum + count, 0);
  }

  async #start(queue: string, brokerQueue: string): Promise<void> {
    this.#starting.add(queue);
    try {
      const channel = await this.#deps.pool.reservedChannel(queue, brokerQueue);
      const feed = await QueueFeed.start(channel, {
        returnUnserved: (raw) => this.#deps.returnUnserved(raw, brokerQueue),
        onStopped: (stopped) => {
          if (this.#feeds.get(queue) === stopped) this.#feeds.delete(queue);
        },
      });
      if (this.#closed) await feed.stop(this.#giveUpAt);
      else if (feed.running) {
        this.#feeds.set(queue, feed);
        this.#notifyStarted(queue);
      }
    } catch (error) {
      // No feed then: receives go on with gets and polls, and a later load tries again.
      this.#deps.logger.debug('the queue feed did not start; receives go on with gets and polls', {
        transport: TRANSPORT_NAME,
        queue,
        code: errorCodeOf(error),
        error: describe(error),
      });
    } finally {
      this.#starting.delete(queue);
    }
  }

  #notifyStarted(queue: string): void {
    const watchers = this.#startWatchers.get(queue);
    if (!watchers) return;
    this.#startWatchers.delete(queue);
    for (const listener of watchers) listener();
  }
}
