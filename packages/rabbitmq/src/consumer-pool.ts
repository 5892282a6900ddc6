import { AbortedError } from '@msgport/core/driver';
import type { Channel, GetMessage, Message } from 'amqplib';
import { flushChannel } from './channel-slot.js';
import { type ConnectionManager, type Link, TRANSPORT_NAME } from './connection.js';
import type { Delivery, DeliveryOwner, DeliveryTracker } from './delivery-tracker.js';
import { OneAtATime } from './one-at-a-time.js';
import { queueGone, receiveError } from './receive-errors.js';
import { ReturnLedger } from './return-ledger.js';
import { SharedFlush } from './shared-flush.js';

const IDLE_CLOSE_MS = 30_000;
/** See `QueueChannel.poll`. */
const POLL_PREFETCH = 1;

/**
 * A channel one standard queue's messages are received and held on. A delivery can be settled only
 * on its own channel, and a channel error requeues everything the channel holds, so each queue gets
 * its own: a failure on one queue never returns another queue's in-flight messages.
 */
export class QueueChannel implements DeliveryOwner {
  readonly queue: string;
  readonly brokerQueue: string;
  readonly link: Link;
  readonly channel: Channel;
  open = true;
  readonly #held = new Map<string, Message>();
  readonly #onIdle: (channel: QueueChannel) => void;
  /** Close handlers of the polls in progress (one channel listener for all of them). */
  readonly #pollClosers = new Set<() => void>();
  #polls = 0;
  readonly #consumes = new OneAtATime();
  readonly #gets = new OneAtATime();
  #idleTimer: NodeJS.Timeout | undefined;
  #tags = 0;
  /** The prefetch the channel's next consumer gets (basic.qos is a round trip: sent only to change it). */
  #prefetch = 0;
  readonly #returns: ReturnLedger;
  readonly #flush: SharedFlush;

  constructor(
    queue: string,
    brokerQueue: string,
    link: Link,
    channel: Channel,
    returns: ReturnLedger,
    onIdle: (c: QueueChannel) => void,
  ) {
    this.#returns = returns;
    this.queue = queue;
    this.brokerQueue = brokerQueue;
    this.link = link;
    this.channel = channel;
    this.#onIdle = onIdle;
    this.#flush = new SharedFlush(() => flushChannel(channel));
    channel.on('close', () => {
      for (const onClose of [...this.#pollClosers]) onClose();
    });
  }

  /** Gets and polls in progress on this channel. */
  get busy(): number {
    return this.#polls;
  }

  /**
   * Up to `max` messages that are ready now (basic.get). One receive's gets run together, not
   * interleaved with another's, so the messages ready at once go to one receive as one batch.
   */
  get(max: number): Promise<GetMessage[]> {
    return this.#gets.run(() => this.#getNow(max));
  }

  async #getNow(max: number): Promise<GetMessage[]> {
    const out: GetMessage[] = [];
    this.#busy(+1);
    try {
      while (out.length < max) {
        const message = await this.channel.get(this.brokerQueue, { noAck: false });
        if (message === false) break;
        this.#returns.delivered(message);
        out.push(message);
      }
      return out;
    } catch (error) {
      this.#giveBack(out);
      throw receiveError(this.queue, error);
    } finally {
      this.#busy(-1);
    }
  }

  /**
   * Long poll: consumes with prefetch 1 until the first delivery (or the deadline, or an abort), then
   * cancels; the caller takes the rest of a batch with `get`. A consumer that holds its one delivery
   * is sent nothing more, so its cancel cannot overtake a delivery: with a larger prefetch, messages
   * on their way to a poll as it cancelled were taken back by the quorum queue and counted as
   * receives (under a steady producer, enough to dead-letter messages nobody had received). Every
   * delivery the broker sent before its cancel-ok belongs to this poll, so nothing is left over.
   */
  async poll(waitMs: number, signal: AbortSignal | undefined): Promise<Message[]> {
    this.#busy(+1);
    const collected: Message[] = [];
    const consumerTag = `msgport.${this.link.epoch}.${++this.#tags}.${Math.random().toString(36).slice(2, 10)}`;
    try {
      return await new Promise<Message[]>((resolve, reject) => {
        // consuming → (first delivery, deadline or abort) → cancelling → done. The cancel is only sent
        // once the broker confirmed the consumer, and the poll only ends after cancel-ok: a consumer
        // left registered would take (and hide) messages nobody asked for.
        let phase: 'consuming' | 'cancelling' | 'done' = 'consuming';
        let subscribed = false;
        let timer: NodeJS.Timeout | undefined;
        const finish = (outcome: Message[] | Error) => {
          if (phase === 'done') return;
          phase = 'done';
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          this.#pollClosers.delete(onClose);
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        };
        const sendCancel = () => {
          this.channel.cancel(consumerTag).then(
            () => {
              if (collected.length === 0 && signal?.aborted) {
                finish(new AbortedError('receive was aborted', { cause: signal.reason, transport: TRANSPORT_NAME }));
              } else {
                finish(collected);
              }
            },
            (error: unknown) => finish(receiveError(this.queue, error)),
          );
        };
        const cancel = () => {
          if (phase !== 'consuming') return;
          // A consumer holding its one delivery is sent nothing more, so it has nothing in flight.
          const wait = collected.length >= POLL_PREFETCH ? 0 : this.#returns.waitBeforeCancel();
          if (wait > 0) {
            clearTimeout(timer);
            timer = setTimeout(cancel, wait);
            return;
          }
          phase = 'cancelling';
          clearTimeout(timer);
          if (subscribed) sendCancel();
        };
        const onAbort = () => cancel();
        // Until consume-ok, a channel failure arrives as the consume call's own (more precise) rejection.
        const onClose = () => {
          if (subscribed) finish(receiveError(this.queue, new Error('channel closed')));
        };
        const onMessage = (message: Message | null) => {
          try {
            if (message === null) {
              // The broker cancelled the consumer: the queue was deleted.
              finish(collected.length > 0 ? collected : queueGone(this.queue));
            } else if (phase === 'done') {
              this.settle(message, 'reject');
            } else {
              this.#returns.delivered(message);
              collected.push(message);
              cancel();
            }
          } catch (error) {
            // Never throw into amqplib's dispatch loop (it would tear down the connection).
            finish(receiveError(this.queue, error));
          }
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.#pollClosers.add(onClose);
        // Consumes run one at a time; this poll handles its own outcome below.
        const started = this.#consumes.run(async () => {
          if (this.#prefetch !== POLL_PREFETCH) {
            this.#prefetch = POLL_PREFETCH;
            await this.channel.prefetch(POLL_PREFETCH);
          }
          await this.channel.consume(this.brokerQueue, onMessage, { noAck: false, consumerTag });
        });
        started.then(
          () => {
            if (signal?.aborted && phase === 'consuming') phase = 'cancelling';
            subscribed = true;
            if (!this.open) onClose();
            else if (phase === 'cancelling') sendCancel();
            else if (phase === 'consuming') timer = setTimeout(cancel, waitMs);
          },
          (error: unknown) => finish(receiveError(this.queue, error)),
        );
      });
    } catch (error) {
      this.#giveBack(collected);
      throw error;
    } finally {
      this.#busy(-1);
    }
  }

  hold(handle: string, message: Message): void {
    this.#held.set(handle, message);
  }

  ack(delivery: Delivery): boolean {
    const message = this.#held.get(delivery.handle);
    this.#held.delete(delivery.handle);
    const done = message !== undefined && this.settle(message, 'ack');
    this.#scheduleIdle();
    return done;
  }

  release(delivery: Delivery): void {
    const message = this.#held.get(delivery.handle);
    this.#held.delete(delivery.handle);
    if (message) this.settle(message, 'reject');
    this.#scheduleIdle();
  }

  /** Acks, or rejects with requeue (which counts as a delivery on every RabbitMQ version). */
  settle(message: Message, how: 'ack' | 'reject'): boolean {
    if (!this.open) return false;
    try {
      if (how === 'ack') {
        this.channel.ack(message);
      } else {
        this.channel.reject(message, true);
        this.#returns.returned(message);
      }
      return true;
    } catch {
      // The channel closed between the check and the call: the broker requeues the message itself.
      return false;
    }
  }

  close(): void {
    this.open = false;
    clearTimeout(this.#idleTimer);
    // Dropped either way: the broker requeues what a channel held however it ends.
    this.channel.close().catch(() => {});
  }

  flush(): Promise<void> {
    return this.#flush.flush();
  }

  /** Fault injection: a passive declare of a missing queue, which makes the broker close this channel. */
  injectChannelError(): void {
    // The 404 that closes the channel is the point; the rejection carries nothing more.
    this.channel.checkQueue(`msgport.fault-injection.${Math.random().toString(36).slice(2)}`).catch(() => {});
  }

  /** Deliveries fetched for a receive that failed go back at once. */
  #giveBack(messages: Message[]): void {
    for (const message of messages) this.settle(message, 'reject');
  }

  #busy(delta: number): void {
    this.#polls += delta;
    this.#scheduleIdle();
  }

  #scheduleIdle(): void {
    clearTimeout(this.#idleTimer);
    if (!this.open || this.#polls > 0 || this.#held.size > 0) return;
    this.#idleTimer = setTimeout(() => {
      if (this.#polls === 0 && this.#held.size === 0) this.#onIdle(this);
    }, IDLE_CLOSE_MS);
    this.#idleTimer.unref();
  }
}

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
    let entry = this.#queues.get(queue);
    if (entry?.brokerQueue !== brokerQueue) {
      if (entry) this.closeQueue(queue);
      entry = { brokerQueue, channels: [], returns: new ReturnLedger(), opening: undefined };
      this.#queues.set(queue, entry);
    }
    let best: QueueChannel | undefined;
    for (const channel of entry.channels) {
      if (!channel.open || channel.link !== link) continue;
      if (best === undefined || channel.busy < best.busy) best = channel;
    }
    if (best !== undefined && (best.busy === 0 || entry.opening || entry.channels.length >= CHANNELS_PER_QUEUE)) {
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

  async #open(queue: string, entry: QueueChannels, link: Link): Promise<QueueChannel> {
    const channel = await link.openChannel();
    const drop = (owner: QueueChannel) => {
      const index = entry.channels.indexOf(owner);
      if (index >= 0) entry.channels.splice(index, 1);
    };
    const owner = new QueueChannel(queue, entry.brokerQueue, link, channel, entry.returns, (idle) => {
      drop(idle);
      idle.close();
    });
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
