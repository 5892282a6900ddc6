import {
  AbortedError,
  ClosedError,
  DedupWindow,
  type DriverMessage,
  type DriverReceiveRequest,
} from '@msgport/core/driver';
import type { Message } from 'amqplib';
import type { AgeTracker } from './age-tracker.js';
import { errorCodeOf } from './classify-error.js';
import { type ConnectionManager, describe, TRANSPORT_NAME } from './connection.js';
import type { ConsumerPool } from './consumer-pool.js';
import { moveToDeadLetter } from './dead-letter-move.js';
import type { DeliveryTracker } from './delivery-tracker.js';
import { FED, pollUnlessFed } from './feed-aware-poll.js';
import { FifoDispatcher } from './fifo-dispatcher.js';
import { judge, toDriverMessage } from './inbound.js';
import { decodeMessage } from './message-codec.js';
import type { Publisher } from './publisher.js';
import type { QueueChannel } from './queue-channel.js';
import type { QueueFeed } from './queue-feed.js';
import { QueueFeeds } from './queue-feeds.js';
import { ReceiveSignals } from './receive-signals.js';
import type { QueueEntry, RegistryState } from './registry-state.js';
import type { SequenceSource } from './sequence.js';
import type { Names } from './topology.js';
import { returnUnserved } from './unserved-return.js';

export interface ReceiverDeps {
  readonly connection: ConnectionManager;
  readonly names: Names;
  readonly state: RegistryState;
  readonly tracker: DeliveryTracker;
  readonly pool: ConsumerPool;
  readonly publisher: Publisher;
  readonly sequence: SequenceSource;
  readonly ages: AgeTracker;
  readonly fifoPrefetch: number;
  /** Aborted when the transport closes: pending receives end with `Closed`. */
  readonly closing: AbortSignal;
}

/**
 * receive: standard queues read ready messages with basic.get (no wait) or one short consume (long
 * poll); FIFO queues are served by their dispatcher. Every delivery passes the client-side rules
 * (retention, purge, redrive) before it is handed out with a fresh receipt handle.
 */
export class Receiver {
  readonly #deps: ReceiverDeps;
  readonly #dispatchers = new Map<string, FifoDispatcher>();
  readonly #starting = new Map<string, Promise<FifoDispatcher>>();
  readonly #dedup = new Map<string, DedupWindow<string>>();
  readonly #corrections = new Map<string, Map<string, number>>();
  readonly #feeds: QueueFeeds;
  readonly #signals: ReceiveSignals;

  constructor(deps: ReceiverDeps) {
    this.#deps = deps;
    this.#signals = new ReceiveSignals(deps.closing);
    this.#feeds = new QueueFeeds({
      pool: deps.pool,
      returnUnserved: (raw, brokerQueue) => returnUnserved(deps.publisher, raw, brokerQueue),
      logger: deps.connection.logger,
    });
  }

  async receive(queue: QueueEntry, request: DriverReceiveRequest): Promise<DriverMessage[]> {
    const { signal, release } = this.#signals.open(request.signal);
    const visibility = request.visibilityTimeoutSeconds ?? queue.config.visibilityTimeoutSeconds;
    try {
      if (queue.config.fifo) {
        const dispatcher = await this.#dispatcher(queue, signal);
        return await dispatcher.receive(request.maxMessages, visibility, request.waitTimeSeconds * 1000, signal);
      }
      return await this.#receiveStandard(queue, request, visibility, signal);
    } catch (error) {
      if (this.#deps.closing.aborted) {
        throw new ClosedError('receive ended: the broker was closed', { cause: error, transport: TRANSPORT_NAME });
      }
      throw error;
    } finally {
      release();
    }
  }

  /** A FIFO queue's buffered-but-not-in-flight messages and the oldest one's SentTimestamp. */
  fifoStats(queue: string): { ready: number; oldestSentAt: number | undefined } {
    const dispatcher = this.#dispatchers.get(queue);
    if (!dispatcher?.open) return { ready: 0, oldestSentAt: undefined };
    const { ready, oldestSentAt } = dispatcher.stats();
    return { ready, oldestSentAt };
  }

  /** Visible messages of a standard queue buffered by its feed in this process. */
  feedBuffered(queue: string): number {
    return this.#feeds.buffered(queue);
  }

  dispatcherOf(queue: string): FifoDispatcher | undefined {
    const dispatcher = this.#dispatchers.get(queue);
    return dispatcher?.open ? dispatcher : undefined;
  }

  purge(queue: string, at: number): void {
    this.#dispatchers.get(queue)?.purge(at);
    const brokerQueue = this.#deps.names.queue(queue);
    this.#feeds.purge(queue, (raw) => {
      const message = decodeMessage(raw, brokerQueue);
      if (message.enqueuedAt >= at) return false;
      this.#deps.ages.remove(queue, message.messageId);
      return true;
    });
  }

  /** The queue was deleted (or replaced): its dispatcher and deduplication memory go. */
  forget(queue: string): void {
    void this.#dispatchers.get(queue)?.stop();
    this.#dispatchers.delete(queue);
    this.#feeds.forget(queue);
    for (const map of [this.#dedup, this.#corrections]) {
      for (const key of [...map.keys()]) if (key.startsWith(`${queue}\u0000`)) map.delete(key);
    }
  }

  /**
   * Ends every dispatcher and feed. Feeds put their buffers back until `giveUpAt`; what is left then
   * goes back when its channel closes, counted as a receive (and twice if its copy lands after all).
   */
  async close(giveUpAt: number): Promise<void> {
    const closed = new ClosedError('receive ended: the broker was closed', { transport: TRANSPORT_NAME });
    const [left] = await Promise.all([
      this.#feeds.close(giveUpAt),
      ...[...this.#dispatchers.values()].map((dispatcher) => dispatcher.stop(closed)),
    ]);
    this.#dispatchers.clear();
    if (left > 0) {
      this.#deps.connection.logger.warn(
        `closing left ${left} prefetched messages to the broker: their copies were not confirmed in time`,
        { transport: TRANSPORT_NAME, left, note: 'each counts one receive more, and may be delivered twice' },
      );
    }
  }

  async #receiveStandard(
    queue: QueueEntry,
    request: DriverReceiveRequest,
    visibility: number,
    signal: AbortSignal,
  ): Promise<DriverMessage[]> {
    const brokerQueue = this.#deps.names.queue(queue.name);
    const deadline = Date.now() + request.waitTimeSeconds * 1000;
    const out: DriverMessage[] = [];
    for (;;) {
      const feed = this.#feeds.running(queue.name);
      if (feed && (await this.#fromFeed(queue, feed, request.maxMessages, visibility, deadline, signal, out))) {
        return out;
      }
      const before = out.length;
      let fed: boolean;
      try {
        fed = await this.#getAndPoll(queue, brokerQueue, request.maxMessages, visibility, deadline, signal, out);
      } finally {
        this.#feeds.noteReceived(queue.name, brokerQueue, out.length - before);
      }
      if (!fed) return out;
    }
  }

  /**
   * Serves a receive from the queue's feed: what is buffered, or (a long poll) the first delivery
   * the consumer is sent. `false`: the feed cannot serve it (it stopped, or its consumer is full of
   * in-flight messages and is sent nothing more), so the receive goes on with gets and polls.
   */
  async #fromFeed(
    queue: QueueEntry,
    feed: QueueFeed,
    maxMessages: number,
    visibility: number,
    deadline: number,
    signal: AbortSignal,
    out: DriverMessage[],
  ): Promise<boolean> {
    for (;;) {
      if (signal.aborted) {
        if (out.length > 0) return true;
        throw new AbortedError('receive was aborted', { cause: signal.reason, transport: TRANSPORT_NAME });
      }
      const raws = feed.take(maxMessages - out.length);
      if (raws.length > 0) {
        await this.#admit(queue, feed.channel, raws, visibility, out);
        if (out.length > 0) return true;
        continue;
      }
      if (!feed.running || feed.saturated) return out.length > 0;
      if (Date.now() >= deadline) return true;
      await feed.waitForDelivery(maxMessages - out.length, deadline, signal);
    }
  }

  /**
   * Adds what gets and (with nothing ready) a long poll bring to `out`. `true`: the poll ended because
   * the queue's feed started, whose consumer now takes the ready messages; the receive goes on from it.
   */
  async #getAndPoll(
    queue: QueueEntry,
    brokerQueue: string,
    maxMessages: number,
    visibility: number,
    deadline: number,
    signal: AbortSignal,
    out: DriverMessage[],
  ): Promise<boolean> {
    for (;;) {
      if (signal.aborted) {
        // Messages already admitted are in flight under this receive: they go to the caller, never lost.
        if (out.length > 0) return false;
        throw new AbortedError('receive was aborted', { cause: signal.reason, transport: TRANSPORT_NAME });
      }
      let channel: QueueChannel;
      let raws: Message[];
      let polling = false;
      const wanted = maxMessages - out.length;
      try {
        channel = await this.#deps.pool.channelFor(queue.name, brokerQueue, signal);
        const remaining = deadline - Date.now();
        // What is ready goes first; a long poll waits for the first message only, and the rest of
        // the batch is what is ready then.
        raws = await channel.get(wanted);
        polling = raws.length === 0 && remaining > 0 && out.length === 0;
        if (polling) {
          const polled = await pollUnlessFed(channel, this.#feeds, queue.name, remaining, signal);
          if (polled === FED) return true;
          raws = polled;
        }
      } catch (error) {
        // Topping up a batch failed: the messages admitted so far are in flight under this receive
        // and go to the caller (a retry of the whole receive would leave them hidden until their
        // visibility timeout). The next receive meets the error, if it lasts; the log says so now.
        if (out.length > 0) {
          this.#deps.connection.logger.warn('topping up a receive failed; it returns the messages admitted so far', {
            transport: TRANSPORT_NAME,
            queue: queue.name,
            returned: out.length,
            code: errorCodeOf(error),
            error: describe(error),
          });
          return false;
        }
        throw error;
      }
      await this.#admit(queue, channel, raws, visibility, out);
      if (out.length >= maxMessages) return false;
      if (polling) {
        // Nothing came before the deadline; else top the batch up (or, if every delivery left the
        // queue — dropped or dead-lettered — wait again, as SQS does).
        if (raws.length === 0) return false;
        continue;
      }
      // `get` stops at the first empty answer: fewer than asked means nothing more is ready.
      if (raws.length < wanted && (out.length > 0 || Date.now() >= deadline)) return false;
    }
  }

  /** Adds the deliveries that pass `judge` to `out` (the rest are dropped, dead-lettered or returned). */
  async #admit(
    queue: QueueEntry,
    channel: QueueChannel,
    raws: Message[],
    visibility: number,
    out: DriverMessage[],
  ): Promise<void> {
    const { tracker, state } = this.#deps;
    for (const raw of raws) {
      const message = decodeMessage(raw, channel.brokerQueue);
      const receiveCount = message.priorDeliveries + 1;
      const now = Date.now();
      const verdict = judge({
        message,
        receiveCount,
        config: queue.config,
        purgedBefore: state.purgedBefore(queue.name),
        now,
      });
      if (verdict === 'drop') {
        channel.settle(raw, 'ack');
        this.#deps.ages.remove(queue.name, message.messageId);
        continue;
      }
      if (verdict === 'dead-letter') {
        // A failed move is logged: the message goes back and the next receive tries again.
        const moved = await moveToDeadLetter(this.#deps, queue, message, receiveCount - 1).catch(() => undefined);
        if (moved === undefined) {
          channel.settle(raw, 'reject');
          continue;
        }
        if (moved) {
          channel.settle(raw, 'ack');
          continue;
        }
      }
      const delivery = tracker.track(
        {
          queue: queue.name,
          messageId: message.messageId,
          sentAt: message.sentAt,
          enqueuedAt: message.enqueuedAt,
          owner: channel,
          visibilitySeconds: visibility,
        },
        now,
      );
      if (visibility > 0) channel.hold(delivery.handle, raw);
      else channel.settle(raw, 'reject');
      out.push(
        toDriverMessage(message, false, delivery.handle, receiveCount, tracker.firstReceive(message.messageId, now)),
      );
    }
  }

  async #dispatcher(queue: QueueEntry, signal: AbortSignal): Promise<FifoDispatcher> {
    const link = await this.#deps.connection.ready(signal);
    const current = this.#dispatchers.get(queue.name);
    if (current?.open && current.link === link) return current;
    let starting = this.#starting.get(queue.name);
    if (!starting) {
      const dedupKey = `${queue.name}\u0000${queue.id}`;
      let dedup = this.#dedup.get(dedupKey);
      if (!dedup) {
        dedup = new DedupWindow<string>();
        this.#dedup.set(dedupKey, dedup);
      }
      let corrections = this.#corrections.get(dedupKey);
      if (!corrections) {
        corrections = new Map<string, number>();
        this.#corrections.set(dedupKey, corrections);
      }
      const { state, names } = this.#deps;
      starting = FifoDispatcher.start(
        {
          queue: queue.name,
          brokerQueue: names.queue(queue.name),
          tracker: this.#deps.tracker,
          prefetch: this.#deps.fifoPrefetch,
          dedup,
          corrections,
          config: () => state.queues.get(queue.name)?.config,
          purgedBefore: () => state.purgedBefore(queue.name),
          deadLetter: (message, receives) =>
            moveToDeadLetter(this.#deps, state.queues.get(queue.name) ?? queue, message, receives),
          dropped: (messageId) => this.#deps.ages.remove(queue.name, messageId),
        },
        link,
        (closed) => {
          if (this.#dispatchers.get(queue.name) === closed) this.#dispatchers.delete(queue.name);
        },
      )
        .then((dispatcher) => {
          this.#dispatchers.set(queue.name, dispatcher);
          return dispatcher;
        })
        .finally(() => this.#starting.delete(queue.name));
      this.#starting.set(queue.name, starting);
    }
    return starting;
  }
}
