import { AbortedError } from '@msgport/core/driver';
import type { Channel, GetMessage, Message } from 'amqplib';
import { flushChannel } from './channel-slot.js';
import { type Link, TRANSPORT_NAME } from './connection.js';
import type { Delivery, DeliveryOwner } from './delivery-tracker.js';
import { OneAtATime } from './one-at-a-time.js';
import { queueGone, receiveError } from './receive-errors.js';
import type { ReturnLedger } from './return-ledger.js';
import { SharedFlush } from './shared-flush.js';

const IDLE_CLOSE_MS = 30_000;
/**
 * Deletes that come within this long of each other share one flush round trip (see `SharedFlush`):
 * under load, one per ~3 delete batches instead of one each.
 */
const FLUSH_GATHER_MS = 1;
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
  /** Kept for a `QueueFeed`'s long-lived consumer: receives never pick it for gets and polls. */
  readonly reserved: boolean;
  readonly #held = new Map<string, Message>();
  readonly #onIdle: (channel: QueueChannel) => void;
  /** Close handlers of the polls in progress (one channel listener for all of them). */
  readonly #pollClosers = new Set<() => void>();
  #polls = 0;
  readonly #consumes = new OneAtATime();
  readonly #gets = new OneAtATime();
  #idleTimer: NodeJS.Timeout | undefined;
  /** Set by `retire`: resolved once the channel has closed. */
  #retired: Promise<void> | undefined;
  #tags = 0;
  /** The prefetch the channel's next consumer gets (basic.qos is a round trip: sent only to change it). */
  #prefetch = 0;
  /** A long-lived consumer runs on this channel (see `consume`). */
  #consuming = false;
  readonly #returns: ReturnLedger;
  readonly #flush: SharedFlush;

  constructor(
    queue: string,
    brokerQueue: string,
    link: Link,
    channel: Channel,
    returns: ReturnLedger,
    onIdle: (c: QueueChannel) => void,
    reserved = false,
  ) {
    this.reserved = reserved;
    this.#returns = returns;
    this.queue = queue;
    this.brokerQueue = brokerQueue;
    this.link = link;
    this.channel = channel;
    this.#onIdle = onIdle;
    this.#flush = new SharedFlush(() => flushChannel(channel), FLUSH_GATHER_MS);
    channel.on('close', () => {
      for (const onClose of [...this.#pollClosers]) onClose();
    });
  }

  /** Gets and polls in progress on this channel. */
  get busy(): number {
    return this.#polls;
  }

  /** Nothing in progress, no message held, no consumer: closing it would take nothing from anyone. */
  get idle(): boolean {
    return this.#polls === 0 && this.#held.size === 0 && !this.#consuming;
  }

  /** Being given up for another queue (see `retire`): receives no longer pick it. */
  get retiring(): boolean {
    return this.#retired !== undefined;
  }

  /**
   * Closes the channel as soon as it is idle, instead of after the idle time: its queue has others,
   * and a queue with none needs its channel number. Resolves once it has closed.
   */
  retire(): Promise<void> {
    this.#retired ??= new Promise<void>((resolve) => {
      if (!this.open) {
        resolve();
        return;
      }
      this.channel.once('close', () => resolve());
      this.#scheduleIdle();
    });
    return this.#retired;
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
    const consumerTag = this.#newConsumerTag('');
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
        const started = this.#startConsumer(POLL_PREFETCH, onMessage, consumerTag);
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

  /** Deliveries held in flight on this channel (unacknowledged, handed to a caller). */
  get holding(): number {
    return this.#held.size;
  }

  /**
   * Starts a long-lived consumer with `prefetch` (a `QueueFeed`'s); `onMessage(null)` means the
   * broker cancelled it (the queue was deleted). Resolves with the consumer tag once the broker
   * confirmed the consumer.
   */
  async consume(prefetch: number, onMessage: (message: Message | null) => void): Promise<string> {
    this.#consuming = true;
    this.#scheduleIdle();
    const consumerTag = this.#newConsumerTag('s');
    const deliver = (message: Message | null) => {
      if (message) this.#returns.delivered(message);
      onMessage(message);
    };
    try {
      await this.#startConsumer(prefetch, deliver, consumerTag);
      return consumerTag;
    } catch (error) {
      this.#consuming = false;
      this.#scheduleIdle();
      throw receiveError(this.queue, error);
    }
  }

  /**
   * Cancels the long-lived consumer. Like a poll, it first lets a message this process returned
   * reach a consumer (a cancel overtaking it makes a quorum queue count a receive nobody made). Every
   * delivery the broker sent before cancel-ok has been handed to `onMessage` when this resolves.
   */
  async cancel(consumerTag: string): Promise<void> {
    try {
      for (let wait = this.#returns.waitBeforeCancel(); wait > 0; wait = this.#returns.waitBeforeCancel()) {
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      if (this.open) await this.channel.cancel(consumerTag);
    } finally {
      this.#consuming = false;
      this.#scheduleIdle();
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

  /** Resolves once the broker confirmed the close (never rejects), when its channel number is free again. */
  close(): Promise<void> {
    this.open = false;
    clearTimeout(this.#idleTimer);
    // Dropped either way: the broker requeues what a channel held however it ends.
    return this.channel.close().catch(() => {});
  }

  flush(): Promise<void> {
    return this.#flush.flush();
  }

  /** Fault injection: a passive declare of a missing queue, which makes the broker close this channel. */
  injectChannelError(): void {
    // The 404 that closes the channel is the point; the rejection carries nothing more.
    this.channel.checkQueue(`msgport.fault-injection.${Math.random().toString(36).slice(2)}`).catch(() => {});
  }

  /** `kind`: '' for a poll's consumer, 's' for a feed's (the tags tell them apart in the management UI). */
  #newConsumerTag(kind: '' | 's'): string {
    return `msgport.${this.link.epoch}.${kind}${++this.#tags}.${Math.random().toString(36).slice(2, 10)}`;
  }

  /** Registers a consumer (consumes run one at a time); basic.qos is a round trip, sent only to change the prefetch. */
  #startConsumer(prefetch: number, onMessage: (message: Message | null) => void, consumerTag: string): Promise<void> {
    return this.#consumes.run(async () => {
      if (this.#prefetch !== prefetch) {
        this.#prefetch = prefetch;
        await this.channel.prefetch(prefetch);
      }
      await this.channel.consume(this.brokerQueue, onMessage, { noAck: false, consumerTag });
    });
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
    if (!this.open || !this.idle) return;
    if (this.#retired) {
      this.#onIdle(this);
      return;
    }
    this.#idleTimer = setTimeout(() => {
      if (this.idle) this.#onIdle(this);
    }, IDLE_CLOSE_MS);
    this.#idleTimer.unref();
  }
}
