import {
  type DedupWindow,
  type DriverMessage,
  dedupKey,
  LongPolls,
  MsgportError,
  type QueueConfig,
  UnavailableError,
} from '@msgport/core/driver';
import type { Channel, ConsumeMessage } from 'amqplib';
import { flushChannel } from './channel-slot.js';
import { type Link, TRANSPORT_NAME } from './connection.js';
import type { Delivery, DeliveryOwner, DeliveryTracker } from './delivery-tracker.js';
import { judge, toDriverMessage } from './inbound.js';
import { type DecodedMessage, decodeMessage } from './message-codec.js';
import { queueGone, receiveError } from './receive-errors.js';
import { SharedFlush } from './shared-flush.js';

interface Entry {
  readonly raw: ConsumeMessage;
  readonly message: DecodedMessage;
  readonly group: string;
  /** Receives before this delivery: the broker's count, corrected by what this process knows. */
  readonly prior: number;
  /** Receives served from this process's buffer (the broker does not see re-serves). */
  receives: number;
  state: 'ready' | 'inflight' | 'moving' | 'gone';
}

interface PollRequest {
  readonly maxMessages: number;
  readonly visibilitySeconds: number;
}

export interface FifoContext {
  readonly queue: string;
  readonly brokerQueue: string;
  readonly tracker: DeliveryTracker;
  readonly prefetch: number;
  /** Deduplication ids seen on this queue; outlives a dispatcher so restarts keep the window. */
  readonly dedup: DedupWindow<string>;
  /**
   * Receive-count corrections by message id, for messages a stopped dispatcher of this process gave
   * back: the broker counted one delivery for the whole time the message sat here, whether it was
   * served zero times (count one too high) or re-served several times (too low).
   */
  readonly corrections: Map<string, number>;
  config(): QueueConfig | undefined;
  purgedBefore(): number;
  /**
   * Client-side redrive of a message received `receives` times here; `false` when the dead-letter
   * queue is missing (the message is then delivered).
   */
  deadLetter(message: DecodedMessage, receives: number): Promise<boolean>;
  /** A message left the queue without a delete (expired, purged or a duplicate). */
  dropped(messageId: string): void;
}

/** Without receives for this long (and nothing in flight) the dispatcher hands the queue to other processes. */
const IDLE_RELEASE_MS = 60_000;

/**
 * A FIFO queue's local dispatcher. The queue is a single-active-consumer quorum queue, so one process
 * in the cluster consumes it; that process buffers up to `prefetch` deliveries by message group and
 * serves them as SQS does: in order per group, never while the group has a message in flight. An
 * expired visibility timeout re-serves the message from the buffer (receiveCount + 1) without a broker
 * round trip, so order holds; delete acks it. If the channel dies, the broker returns every unacked
 * delivery to the head of the queue, in order, with its delivery count raised.
 */
export class FifoDispatcher implements DeliveryOwner {
  readonly link: Link;
  open = true;
  readonly #context: FifoContext;
  readonly #channel: Channel;
  readonly #flushes: SharedFlush;
  readonly #groups = new Map<string, Entry[]>();
  readonly #byHandle = new Map<string, Entry>();
  readonly #onClosed: (dispatcher: FifoDispatcher) => void;
  readonly #polls = new LongPolls<PollRequest, DriverMessage>({
    transport: TRANSPORT_NAME,
    onChange: () => this.#touch(),
  });
  #idleTimer: NodeJS.Timeout | undefined;

  private constructor(context: FifoContext, link: Link, channel: Channel, onClosed: (d: FifoDispatcher) => void) {
    this.#context = context;
    this.link = link;
    this.#channel = channel;
    this.#flushes = new SharedFlush(() => flushChannel(channel));
    this.#onClosed = onClosed;
  }

  static async start(context: FifoContext, link: Link, onClosed: (d: FifoDispatcher) => void): Promise<FifoDispatcher> {
    const channel = await link.openChannel();
    const dispatcher = new FifoDispatcher(context, link, channel, onClosed);
    channel.on('close', () => dispatcher.#closed(new Error('channel closed')));
    try {
      await channel.prefetch(context.prefetch);
      await channel.consume(context.brokerQueue, (raw) => dispatcher.#arrive(raw), { noAck: false });
    } catch (error) {
      dispatcher.#closed(error);
      channel.close().catch(() => {});
      throw receiveError(context.queue, error);
    }
    dispatcher.#touch();
    return dispatcher;
  }

  async receive(
    maxMessages: number,
    visibilitySeconds: number,
    waitMs: number,
    signal: AbortSignal | undefined,
  ): Promise<DriverMessage[]> {
    this.#touch();
    let first = this.#select(maxMessages, visibilitySeconds);
    if (first.delivered.length === 0 && waitMs === 0) {
      // A message the broker already committed may still be on its way to this consumer; one round
      // trip on the channel lets every delivery sent before it arrive.
      await Promise.all(first.moves);
      await this.#flush();
      first = this.#select(maxMessages, visibilitySeconds);
    }
    if (first.delivered.length > 0 || waitMs === 0) {
      await Promise.all(first.moves);
      return first.delivered;
    }
    return this.#polls.wait({ maxMessages, visibilitySeconds }, { waitMs, signal });
  }

  ack(delivery: Delivery): boolean {
    const entry = this.#byHandle.get(delivery.handle);
    this.#byHandle.delete(delivery.handle);
    if (!entry || entry.state === 'gone') return false;
    const done = this.#remove(entry);
    this.#wake();
    return done;
  }

  release(delivery: Delivery): void {
    const entry = this.#byHandle.get(delivery.handle);
    this.#byHandle.delete(delivery.handle);
    if (entry?.state !== 'inflight') return;
    entry.state = 'ready';
    this.#wake();
  }

  /** Drops buffered messages that entered the queue before `at` (in-flight ones go through the tracker). */
  purge(at: number): void {
    for (const entries of [...this.#groups.values()]) {
      for (const entry of [...entries]) {
        if (entry.state === 'ready' && entry.message.enqueuedAt < at) this.#remove(entry);
      }
    }
  }

  stats(): { ready: number; inFlight: number; oldestSentAt: number | undefined } {
    let ready = 0;
    let inFlight = 0;
    let oldestSentAt: number | undefined;
    for (const entries of this.#groups.values()) {
      for (const entry of entries) {
        if (entry.state === 'inflight') inFlight++;
        else ready++;
        oldestSentAt = Math.min(oldestSentAt ?? entry.message.sentAt, entry.message.sentAt);
      }
    }
    return { ready, inFlight, oldestSentAt };
  }

  /**
   * Hands the queue back: cancels the consumer and returns every buffered and in-flight delivery, in
   * order, to the head of the queue. `nack` (not `reject`) so RabbitMQ ≥ 4.3 does not count it as a
   * failed delivery; older versions count it either way.
   */
  async stop(reason?: Error): Promise<void> {
    if (!this.open) return;
    try {
      this.#channel.nackAll(true);
    } catch {
      // The channel is already gone; the broker returned everything itself.
    }
    this.#closed(reason ?? new UnavailableError('the FIFO dispatcher stopped', { transport: TRANSPORT_NAME }));
    await this.#channel.close().catch(() => {});
  }

  /** Fault injection: a passive declare of a missing queue, which makes the broker close this channel. */
  injectChannelError(): void {
    this.#channel.checkQueue(`msgport.fault-injection.${Math.random().toString(36).slice(2)}`).catch(() => {});
  }

  flush(): Promise<void> {
    return this.#flushes.flush();
  }

  async #flush(): Promise<void> {
    if (!this.open) return;
    await this.flush().catch(() => {
      // A closed channel ends the dispatcher through its close event.
    });
  }

  #arrive(raw: ConsumeMessage | null): void {
    try {
      if (raw === null) {
        this.#closed(queueGone(this.#context.queue));
        this.#channel.close().catch(() => {});
        return;
      }
      const message = decodeMessage(raw, this.#context.brokerQueue);
      if (!this.#admissible(message)) {
        this.#ackRaw(raw);
        this.#context.dropped(message.messageId);
        return;
      }
      const group = message.groupId ?? '';
      const entries = this.#groups.get(group) ?? [];
      if (entries.length === 0) this.#groups.set(group, entries);
      const correction = this.#context.corrections.get(message.messageId) ?? 0;
      this.#context.corrections.delete(message.messageId);
      entries.push({ raw, message, group, prior: message.priorDeliveries + correction, receives: 0, state: 'ready' });
      this.#wake();
    } catch {
      // Never throw into amqplib's dispatch loop.
    }
  }

  /** Expired, purged and duplicate deliveries never enter the buffer. */
  #admissible(message: DecodedMessage): boolean {
    const config = this.#context.config();
    if (!config) return false;
    const verdict = judge({
      message,
      receiveCount: message.priorDeliveries + 1,
      config,
      purgedBefore: this.#context.purgedBefore(),
      now: Date.now(),
    });
    if (verdict === 'drop') return false;
    if (message.deduplicationId === undefined) return true;
    const key = dedupKey(config.deduplicationScope, message.groupId, message.deduplicationId);
    const first = this.#context.dedup.get(key, message.sentAt);
    if (first === undefined) this.#context.dedup.set(key, message.messageId, message.sentAt);
    return first === undefined || first === message.messageId;
  }

  /** Picks messages the way SQS serves FIFO queues: oldest unlocked groups first, filling from one group. */
  #select(maxMessages: number, visibilitySeconds: number): { delivered: DriverMessage[]; moves: Promise<void>[] } {
    const delivered: DriverMessage[] = [];
    const moves: Promise<void>[] = [];
    const config = this.#context.config();
    if (!this.open || !config) return { delivered, moves };
    const now = Date.now();
    for (const entries of [...this.#groups.values()]) {
      if (delivered.length >= maxMessages) break;
      if (entries.some((entry) => entry.state === 'inflight')) continue;
      for (const entry of [...entries]) {
        if (delivered.length >= maxMessages) break;
        if (entry.state === 'moving') continue;
        if (entry.state !== 'ready') break;
        const receiveCount = entry.prior + entry.receives + 1;
        const verdict = judge({
          message: entry.message,
          receiveCount,
          config,
          purgedBefore: this.#context.purgedBefore(),
          now,
        });
        if (verdict === 'drop') {
          this.#remove(entry);
          this.#context.dropped(entry.message.messageId);
          continue;
        }
        if (verdict === 'dead-letter') {
          moves.push(this.#moveToDeadLetter(entry));
          continue;
        }
        entry.receives++;
        entry.state = 'inflight';
        const delivery = this.#context.tracker.track(
          {
            queue: this.#context.queue,
            messageId: entry.message.messageId,
            sentAt: entry.message.sentAt,
            enqueuedAt: entry.message.enqueuedAt,
            owner: this,
            visibilitySeconds,
          },
          now,
        );
        if (visibilitySeconds > 0) this.#byHandle.set(delivery.handle, entry);
        else entry.state = 'ready';
        const first = this.#context.tracker.firstReceive(entry.message.messageId, now);
        delivered.push(toDriverMessage(entry.message, true, delivery.handle, receiveCount, first));
      }
    }
    return { delivered, moves };
  }

  async #moveToDeadLetter(entry: Entry): Promise<void> {
    entry.state = 'moving';
    let moved = false;
    try {
      moved = await this.#context.deadLetter(entry.message, entry.prior + entry.receives);
    } catch {
      // Not confirmed: the message stays here and is tried again on the next receive.
    }
    if (entry.state !== 'moving') return;
    if (moved) this.#remove(entry);
    else entry.state = 'ready';
  }

  #remove(entry: Entry): boolean {
    entry.state = 'gone';
    const entries = this.#groups.get(entry.group);
    if (entries) {
      const index = entries.indexOf(entry);
      if (index >= 0) entries.splice(index, 1);
      if (entries.length === 0) this.#groups.delete(entry.group);
    }
    return this.#ackRaw(entry.raw);
  }

  #ackRaw(raw: ConsumeMessage): boolean {
    if (!this.open) return false;
    try {
      this.#channel.ack(raw);
      return true;
    } catch {
      return false;
    }
  }

  #wake(): void {
    this.#touch();
    for (let poll = this.#polls.first(); poll !== undefined; poll = this.#polls.first()) {
      const { delivered, moves } = this.#select(poll.request.maxMessages, poll.request.visibilitySeconds);
      if (delivered.length === 0) break;
      this.#polls.shift();
      const hand = () => {
        // The poll ended meanwhile (abort): what was picked for it becomes visible again at once.
        if (poll.resolve(delivered)) return;
        for (const message of delivered) {
          try {
            this.#context.tracker.changeVisibility(this.#context.queue, message.receiptHandle, 0);
          } catch {
            // Already settled.
          }
        }
      };
      if (moves.length === 0) hand();
      else void Promise.all(moves).then(hand);
    }
  }

  #touch(): void {
    clearTimeout(this.#idleTimer);
    if (!this.open) return;
    this.#idleTimer = setTimeout(() => {
      if (this.#polls.size === 0 && this.#byHandle.size === 0) void this.stop();
      else this.#touch();
    }, IDLE_RELEASE_MS);
    this.#idleTimer.unref();
  }

  #closed(cause: unknown): void {
    if (!this.open) return;
    this.open = false;
    clearTimeout(this.#idleTimer);
    this.#context.tracker.lose((delivery) => delivery.owner === this);
    const { corrections } = this.#context;
    for (const entries of this.#groups.values()) {
      for (const entry of entries) {
        // Next time the broker reports one more than now; the truth is prior + receives.
        const correction = entry.prior + entry.receives - (entry.message.priorDeliveries + 1);
        if (correction !== 0) corrections.set(entry.message.messageId, correction);
        entry.state = 'gone';
      }
    }
    while (corrections.size > 100_000) corrections.delete(corrections.keys().next().value as string);
    this.#groups.clear();
    this.#byHandle.clear();
    const error = cause instanceof MsgportError ? cause : receiveError(this.#context.queue, cause);
    this.#polls.rejectAll(error);
    this.#onClosed(this);
  }
}
