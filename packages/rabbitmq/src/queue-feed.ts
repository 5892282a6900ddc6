import type { Message } from 'amqplib';
import type { QueueChannel } from './queue-channel.js';

/** Unacknowledged deliveries a feed's consumer may hold: handed out (in flight) plus buffered. */
export const FEED_PREFETCH = 200;
/** A feed that no receive asked anything of for this long stops and returns its buffer. */
export const FEED_IDLE_MS = 1_000;
/**
 * A feed whose oldest buffered delivery waited this long stops and returns its buffer: its receives
 * take less than a feed is for (`FEED_AFTER_MESSAGES` in `FEED_AFTER_WINDOW_MS`), and what it holds
 * is hidden from every other consumer of the queue.
 */
export const FEED_STALE_MS = 2_000;
/** See `#settleAcks`. */
const ACK_SETTLE_MS = 100;
/** See `#quiet`. */
const QUIET_MS = 25;
const QUIET_MAX_MS = 500;

export interface QueueFeedDeps {
  /** Puts an unserved delivery back without counting a receive; `false`: it must be rejected instead. */
  readonly returnUnserved: (raw: Message) => Promise<boolean>;
  /** The feed stopped (idle, cancelled by the broker, its channel closed). */
  readonly onStopped: (feed: QueueFeed) => void;
}

type State = 'running' | 'stopping' | 'stopped';

/**
 * A standard queue's long-lived consumer and its local buffer, for a queue under steady load: the
 * broker pushes up to `FEED_PREFETCH` deliveries ahead, so a receive takes what is buffered without
 * a round trip. A buffered delivery is not a receive yet: it is judged and gets its receipt handle
 * only when a receive takes it. When no receive has asked for `FEED_IDLE_MS`, or its oldest
 * buffered delivery waited `FEED_STALE_MS`, the feed cancels its consumer and puts what is still
 * buffered back as copies that carry their receive count (never by reject, which the broker would
 * count as a receive). Handed-out deliveries stay on the channel until they are settled.
 */
export class QueueFeed {
  readonly channel: QueueChannel;
  readonly #deps: QueueFeedDeps;
  readonly #buffer: Message[] = [];
  /** When each buffered delivery arrived, in the buffer's order. */
  readonly #arrivedAt: number[] = [];
  /** Waiting receives, oldest first, with how many messages each wants. */
  readonly #waiters = new Map<() => void, number>();
  #wakeScheduled = false;
  #state: State = 'running';
  #consumerTag: string | undefined;
  #lastDemand = Date.now();
  #lastDelivery = 0;
  #idleTimer: NodeJS.Timeout | undefined;
  #stopping: Promise<number> | undefined;
  /** When a stop stops waiting for the broker (a close sets one; an idle stop waits it out). */
  #giveUpAt = Number.POSITIVE_INFINITY;
  #giveUpTimer: NodeJS.Timeout | undefined;
  #giveUpNow: () => void = () => {};
  readonly #givenUp = new Promise<void>((resolve) => (this.#giveUpNow = resolve));
  #gaveUp = false;
  /** Set once `stop` took the buffer: later deliveries are given back as they arrive. */
  #cutOff = false;
  readonly #givingBack = new Set<Promise<void>>();

  private constructor(channel: QueueChannel, deps: QueueFeedDeps) {
    this.channel = channel;
    this.#deps = deps;
  }

  /** Starts consuming on `channel` (reserved for the feed). */
  static async start(channel: QueueChannel, deps: QueueFeedDeps): Promise<QueueFeed> {
    const feed = new QueueFeed(channel, deps);
    channel.channel.on('close', () => feed.#lost());
    try {
      feed.#consumerTag = await channel.consume(FEED_PREFETCH, (message) => feed.#deliver(message));
    } catch (error) {
      feed.#lost();
      throw error;
    }
    if (!channel.open) feed.#lost();
    feed.#armIdle();
    return feed;
  }

  /** Receives may take from it (it may still be stopping: then they use gets and polls). */
  get running(): boolean {
    return this.#state === 'running' && this.channel.open;
  }

  /** Buffered deliveries (visible messages this process holds for its receives). */
  get buffered(): number {
    return this.#buffer.length;
  }

  /** The consumer is sent nothing more until something is settled: a receive must use basic.get. */
  get saturated(): boolean {
    return this.channel.holding + this.#buffer.length >= FEED_PREFETCH;
  }

  /** Up to `max` buffered deliveries, oldest first; the caller admits or settles each of them. */
  take(max: number): Message[] {
    this.#lastDemand = Date.now();
    const taken = this.#buffer.splice(0, max);
    this.#arrivedAt.splice(0, taken.length);
    if (this.#buffer.length > 0) this.#scheduleWake();
    return taken;
  }

  /**
   * Resolves when a delivery is buffered for this receive (`wanted`: how many it takes), at
   * `deadline`, on abort, or when the feed stops running.
   */
  waitForDelivery(wanted: number, deadline: number, signal: AbortSignal): Promise<void> {
    this.#lastDemand = Date.now();
    if (this.#buffer.length > 0 || !this.running || signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', abandon);
        this.#waiters.delete(done);
        this.#lastDemand = Date.now();
        resolve();
      };
      const abandon = () => {
        done();
        // Woken or not, it takes nothing now: whatever is buffered goes to the next waiter.
        if (this.#buffer.length > 0) this.#scheduleWake();
      };
      const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
      signal.addEventListener('abort', abandon, { once: true });
      this.#waiters.set(done, wanted);
    });
  }

  /** Acks (drops) the buffered deliveries `purged` selects. */
  purge(purged: (raw: Message) => boolean): void {
    for (let i = this.#buffer.length - 1; i >= 0; i--) {
      const raw = this.#buffer[i] as Message;
      if (!purged(raw)) continue;
      this.#buffer.splice(i, 1);
      this.#arrivedAt.splice(i, 1);
      this.channel.settle(raw, 'ack');
    }
  }

  /**
   * Cancels the consumer and puts every delivery it buffered back (see the class). Resolves when
   * the buffer is empty, or at `giveUpAt` (the transport is closing) with how many deliveries it left
   * unsettled: closing their channel next makes the broker requeue them, counted as a receive, and a
   * copy confirmed after that is a duplicate. Deliveries handed out stay on the channel.
   */
  stop(giveUpAt = Number.POSITIVE_INFINITY): Promise<number> {
    this.#giveUpBy(giveUpAt);
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  #giveUpBy(at: number): void {
    if (at >= this.#giveUpAt) return;
    this.#giveUpAt = at;
    clearTimeout(this.#giveUpTimer);
    this.#giveUpTimer = setTimeout(
      () => {
        this.#gaveUp = true;
        this.#giveUpNow();
      },
      Math.max(0, at - Date.now()),
    );
  }

  /** `work`, unless the stop gives up first. */
  #unlessGivenUp(work: Promise<unknown>): Promise<unknown> {
    return Promise.race([work, this.#givenUp]);
  }

  async #stop(): Promise<number> {
    if (this.#state === 'running') this.#state = 'stopping';
    clearTimeout(this.#idleTimer);
    this.#wake();
    try {
      await this.#quiet();
      if (this.#consumerTag !== undefined && this.channel.open && !this.#gaveUp) {
        await this.#unlessGivenUp(this.channel.cancel(this.#consumerTag));
      }
    } catch {
      // The channel died: the broker took back everything it held (see #lost).
    }
    // A quorum queue can still deliver after cancel-ok: from here on every delivery goes straight back.
    this.#cutOff = true;
    const unserved = this.#buffer.splice(0);
    this.#arrivedAt.length = 0;
    for (const raw of unserved) this.#giveBack(raw);
    while (this.#givingBack.size > 0 && !this.#gaveUp) await this.#unlessGivenUp(Promise.all([...this.#givingBack]));
    if (unserved.length > 0 && !this.#gaveUp) await this.#unlessGivenUp(this.#settleAcks());
    clearTimeout(this.#giveUpTimer);
    this.#end();
    return this.#givingBack.size;
  }

  /** Copies an unserved delivery back to the queue, then acks it (rejects it when the copy failed). */
  #giveBack(raw: Message): void {
    const done = this.#deps.returnUnserved(raw).then((copied) => {
      this.channel.settle(raw, copied ? 'ack' : 'reject');
      this.#givingBack.delete(done);
    });
    this.#givingBack.add(done);
  }

  /**
   * Waits (at most `QUIET_MAX_MS`) until no delivery came for `QUIET_MS`, so that the cancel does not
   * overtake deliveries on their way: a quorum queue takes those back and counts them as receives.
   * Deliveries stop coming once the consumer holds its prefetch, or the queue has nothing ready.
   */
  async #quiet(): Promise<void> {
    const until = Math.min(Date.now() + QUIET_MAX_MS, this.#giveUpAt);
    for (;;) {
      const wait = this.#lastDelivery + QUIET_MS - Date.now();
      if (wait <= 0 || Date.now() >= until || this.#gaveUp || !this.channel.open) return;
      await this.#unlessGivenUp(new Promise((resolve) => setTimeout(resolve, Math.min(wait, until - Date.now()))));
    }
  }

  /**
   * Lets the broker apply the acks before anything closes the channel. A quorum queue takes acks
   * asynchronously and a channel holds back those beyond a few dozen unapplied commands; a channel
   * closed meanwhile (the transport closing right after) returns the originals next to their copies.
   * A round trip on the channel, then `ACK_SETTLE_MS`, was enough in every run we made.
   */
  async #settleAcks(): Promise<void> {
    await this.channel.flush().catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, ACK_SETTLE_MS));
  }

  #deliver(message: Message | null): void {
    if (message === null) {
      // The broker cancelled the consumer: the queue was deleted, and its messages with it.
      this.#buffer.length = 0;
      this.#arrivedAt.length = 0;
      this.#end();
      return;
    }
    if (this.#cutOff) {
      this.#giveBack(message);
      return;
    }
    this.#lastDelivery = Date.now();
    this.#buffer.push(message);
    this.#arrivedAt.push(this.#lastDelivery);
    this.#scheduleWake();
  }

  /** The channel closed: the broker requeued everything it held, the buffer included. */
  #lost(): void {
    this.#buffer.length = 0;
    this.#arrivedAt.length = 0;
    this.#end();
  }

  #end(): void {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    clearTimeout(this.#idleTimer);
    this.#wake();
    this.#deps.onStopped(this);
  }

  /** Wakes every waiting receive (the feed stops running). */
  #wake(): void {
    for (const waiter of [...this.#waiters.keys()]) waiter();
  }

  /**
   * Once the deliveries that arrived together are buffered (amqplib hands a network read's frames
   * over synchronously), wakes as many of the oldest waiting receives as it takes to empty the
   * buffer: one receive takes a whole batch, and the others sleep on instead of waking for nothing.
   */
  #scheduleWake(): void {
    if (this.#wakeScheduled || this.#waiters.size === 0) return;
    this.#wakeScheduled = true;
    queueMicrotask(() => {
      this.#wakeScheduled = false;
      let unclaimed = this.#buffer.length;
      for (const [waiter, wanted] of [...this.#waiters]) {
        if (unclaimed <= 0) break;
        unclaimed -= wanted;
        waiter();
      }
    });
  }

  /** Stops the feed once it is idle (see `FEED_IDLE_MS`) or its buffer stale (see `FEED_STALE_MS`). */
  #armIdle(): void {
    clearTimeout(this.#idleTimer);
    if (this.#state !== 'running') return;
    const now = Date.now();
    const quiet = now - this.#lastDemand;
    const oldest = this.#arrivedAt[0];
    const staleInMs = oldest === undefined ? FEED_STALE_MS : oldest + FEED_STALE_MS - now;
    if ((this.#waiters.size === 0 && quiet >= FEED_IDLE_MS) || staleInMs <= 0) {
      void this.stop();
      return;
    }
    this.#idleTimer = setTimeout(() => this.#armIdle(), Math.max(Math.min(FEED_IDLE_MS - quiet, staleInMs), 50));
    this.#idleTimer.unref();
  }
}
