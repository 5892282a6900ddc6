import { randomBytes } from 'node:crypto';
import { MessageNotInflightError, ReceiptHandleIsInvalidError, visibilityCapError } from '@msgport/core/driver';
import { TRANSPORT_NAME } from './connection.js';

/** Whoever holds the broker delivery behind a receipt handle and can settle it. */
export interface DeliveryOwner {
  /** Deletes the message for good; `false` when the delivery can no longer be settled (its channel died). */
  ack(delivery: Delivery): boolean;
  /** Makes the message visible again: its visibility timeout expired or was changed to 0. */
  release(delivery: Delivery): void;
  /**
   * Resolves once the broker processed every ack and reject sent before (AMQP does not confirm
   * them; one round trip on the same channel does). Rejects when the channel died first.
   */
  flush(): Promise<void>;
}

export interface Delivery {
  readonly handle: string;
  readonly queue: string;
  readonly messageId: string;
  readonly sentAt: number;
  readonly enqueuedAt: number;
  readonly receivedAt: number;
  readonly owner: DeliveryOwner;
  cancelTimer: (() => void) | undefined;
}

export interface TrackInput {
  readonly queue: string;
  readonly messageId: string;
  readonly sentAt: number;
  readonly enqueuedAt: number;
  readonly owner: DeliveryOwner;
  readonly visibilitySeconds: number;
}

/** How a receipt handle stopped being current. */
type Outcome = 'deleted' | 'released' | 'lost' | 'superseded';

const HANDLE_PREFIX = 'mq1';
const REMEMBERED = 100_000;

/**
 * Receipt handles and visibility timers. A receive hands out a new handle per message; the message stays
 * invisible because its delivery is held unacknowledged, and a timer per delivery makes it visible
 * again at the deadline. Handles carry this tracker's instance id, so a handle from another process or
 * connection is recognised and refused (`receiptHandleScope: 'process'`).
 */
export class DeliveryTracker {
  readonly instance = randomBytes(6).toString('hex');
  readonly #active = new Map<string, Delivery>();
  readonly #finished = new Map<string, Outcome>();
  readonly #latestHandle = new Map<string, string>();
  readonly #firstReceive = new Map<string, number>();
  #sequence = 0;

  track(input: TrackInput, now = Date.now()): Delivery {
    const handle = `${HANDLE_PREFIX}.${this.instance}.${(++this.#sequence).toString(36)}.${input.messageId}`;
    const delivery: Delivery = {
      handle,
      queue: input.queue,
      messageId: input.messageId,
      sentAt: input.sentAt,
      enqueuedAt: input.enqueuedAt,
      receivedAt: now,
      owner: input.owner,
      cancelTimer: undefined,
    };
    const previous = this.#latestHandle.get(input.messageId);
    if (previous !== undefined && !this.#active.has(previous)) this.#finish(previous, 'superseded');
    this.#latestHandle.set(input.messageId, handle);
    remember(this.#latestHandle, REMEMBERED);
    if (input.visibilitySeconds === 0) {
      // Visible again at once, as SQS does with a zero visibility timeout: the caller releases it.
      this.#finish(handle, 'released');
      return delivery;
    }
    this.#active.set(handle, delivery);
    this.#arm(delivery, input.visibilitySeconds * 1000);
    return delivery;
  }

  /** ApproximateFirstReceiveTimestamp: exact when this process saw the first receive, else this receive. */
  firstReceive(messageId: string, now = Date.now()): number {
    const known = this.#firstReceive.get(messageId);
    if (known !== undefined) return known;
    this.#firstReceive.set(messageId, now);
    remember(this.#firstReceive, REMEMBERED);
    return now;
  }

  /** Deletes with the current handle; a stale handle is a no-op, as on SQS. Returns what was deleted. */
  delete(queue: string, handle: string): Delivery | undefined {
    this.#assertOwn(handle);
    const delivery = this.#active.get(handle);
    if (!delivery) return undefined;
    assertQueue(delivery, queue);
    const acked = delivery.owner.ack(delivery);
    this.#settle(delivery, acked ? 'deleted' : 'lost');
    return acked ? delivery : undefined;
  }

  /** Returns the owner when a message was made visible at once (its reject needs a flush). */
  changeVisibility(queue: string, handle: string, seconds: number, now = Date.now()): DeliveryOwner | undefined {
    this.#assertOwn(handle);
    const delivery = this.#active.get(handle);
    if (!delivery) {
      const outcome = this.#finished.get(handle);
      if (outcome === 'released' || outcome === 'lost') {
        throw new MessageNotInflightError(
          outcome === 'lost'
            ? 'the message is not in flight: the connection that received it was lost, so RabbitMQ made it visible again'
            : 'the message is not in flight: its visibility timeout already expired',
          { transport: TRANSPORT_NAME },
        );
      }
      throw new ReceiptHandleIsInvalidError(
        outcome === 'deleted'
          ? 'the message of this receipt handle was deleted'
          : 'the receipt handle has expired: the message was received again since',
        { transport: TRANSPORT_NAME },
      );
    }
    assertQueue(delivery, queue);
    const capped = visibilityCapError(delivery.receivedAt, now, seconds, { transport: TRANSPORT_NAME });
    if (capped) throw capped;
    delivery.cancelTimer?.();
    if (seconds === 0) {
      this.#settle(delivery, 'released');
      delivery.owner.release(delivery);
      return delivery.owner;
    }
    this.#arm(delivery, seconds * 1000);
    return undefined;
  }

  /** The broker took these deliveries back (their channel or connection closed). */
  lose(predicate: (delivery: Delivery) => boolean): void {
    for (const delivery of [...this.#active.values()]) {
      if (predicate(delivery)) this.#settle(delivery, 'lost');
    }
  }

  /** Deletes this process's in-flight messages of `queue` that entered it before `at` (purge). */
  purge(queue: string, at: number): void {
    for (const delivery of [...this.#active.values()]) {
      if (delivery.queue !== queue || delivery.enqueuedAt >= at) continue;
      this.#settle(delivery, delivery.owner.ack(delivery) ? 'deleted' : 'lost');
    }
  }

  inFlight(queue: string): Delivery[] {
    return [...this.#active.values()].filter((delivery) => delivery.queue === queue);
  }

  isActive(handle: string): boolean {
    return this.#active.has(handle);
  }

  /** Clears every timer (the transport is closing; the broker requeues what was held). */
  clear(): void {
    this.lose(() => true);
  }

  #arm(delivery: Delivery, ms: number): void {
    const timer = setTimeout(() => {
      if (this.#active.get(delivery.handle) !== delivery) return;
      this.#settle(delivery, 'released');
      delivery.owner.release(delivery);
    }, ms);
    timer.unref();
    delivery.cancelTimer = () => clearTimeout(timer);
  }

  #settle(delivery: Delivery, outcome: Outcome): void {
    delivery.cancelTimer?.();
    delivery.cancelTimer = undefined;
    this.#active.delete(delivery.handle);
    this.#finish(delivery.handle, outcome);
  }

  #finish(handle: string, outcome: Outcome): void {
    this.#finished.delete(handle);
    this.#finished.set(handle, outcome);
    remember(this.#finished, REMEMBERED);
  }

  #assertOwn(handle: string): void {
    // A handle in flight is one this tracker made (the common case: no need to take it apart).
    if (this.#active.has(handle)) return;
    const parts = handle.split('.');
    if (parts.length < 4 || parts[0] !== HANDLE_PREFIX) {
      throw new ReceiptHandleIsInvalidError(`"${handle.slice(0, 40)}" is not a receipt handle of this transport`, {
        transport: TRANSPORT_NAME,
      });
    }
    if (parts[1] !== this.instance) {
      throw new ReceiptHandleIsInvalidError(
        'the receipt handle belongs to another process or connection: on RabbitMQ only the receiver can settle a message (receiptHandleScope "process")',
        { transport: TRANSPORT_NAME },
      );
    }
  }
}

function assertQueue(delivery: Delivery, queue: string): void {
  if (delivery.queue !== queue) {
    throw new ReceiptHandleIsInvalidError(`the receipt handle does not belong to queue "${queue}"`, {
      transport: TRANSPORT_NAME,
    });
  }
}

/** Keeps a map to its newest `limit` entries (Maps iterate in insertion order). */
function remember<K, V>(map: Map<K, V>, limit: number): void {
  while (map.size > limit) {
    const oldest = map.keys().next();
    if (oldest.done) return;
    map.delete(oldest.value);
  }
}
