import { type DriverBatchFailure, type DriverVisibilityEntry, LIMITS } from '@msgport/core/driver';

const MAX_VISIBILITY_MS = LIMITS.visibilityTimeoutMaxSeconds * 1000;

interface Lease {
  /** When the ReceiveMessage request was sent: the 12-hour cap counts from here. */
  readonly receivedAt: number;
  /** No earlier than SQS's own deadline (measured after the response); undefined when unknown. */
  visibleAt: number | undefined;
}

/**
 * What this driver knows about the receipt handles it received: when the receive was requested
 * (visibility may extend at most 12 hours from then) and, when the timeout is known, by when the
 * message is visible again. SQS enforces both rules itself; emulators do not all do so (fauxqs
 * 1.9.2 accepts a visibility change on an expired handle until its next receive), so the driver
 * checks them for its own handles. The deadline is taken after the response, so it is never earlier
 * than SQS's (given the visibility timeout the receive used: an explicit one, or the queue's as this
 * driver last read it). Bounded: entries past 12 hours, then the oldest, go first.
 */
export class ReceiptLeases {
  readonly #leases = new Map<string, Lease>();
  readonly #capacity: number;

  constructor(capacity = 50_000) {
    this.#capacity = capacity;
  }

  record(receiptHandle: string, receivedAt: number, visibleAt: number | undefined): void {
    this.#leases.set(receiptHandle, { receivedAt, visibleAt });
    // insertion order is receive order: drop what is past the 12-hour horizon, then over capacity
    for (const [handle, lease] of this.#leases) {
      if (this.#leases.size <= this.#capacity && lease.receivedAt + MAX_VISIBILITY_MS > receivedAt) break;
      this.#leases.delete(handle);
    }
  }

  /** After a successful visibility change made no later than `respondedAt`. */
  extend(receiptHandle: string, respondedAt: number, seconds: number): void {
    const lease = this.#leases.get(receiptHandle);
    if (lease) lease.visibleAt = respondedAt + seconds * 1000;
  }

  forget(receiptHandle: string): void {
    this.#leases.delete(receiptHandle);
  }

  /** True when the message of this handle is certainly visible again (its timeout ran out) at `now`. */
  expired(receiptHandle: string, now: number): boolean {
    const visibleAt = this.#leases.get(receiptHandle)?.visibleAt;
    return visibleAt !== undefined && now >= visibleAt;
  }

  /** Whether setting `seconds` of visibility at `now` would pass the 12-hour cap. */
  exceedsCap(receiptHandle: string, seconds: number, now: number): boolean {
    const lease = this.#leases.get(receiptHandle);
    return lease !== undefined && now + seconds * 1000 - lease.receivedAt > MAX_VISIBILITY_MS;
  }

  /** Seconds of visibility still allowed at `now` (0 for unknown handles). */
  remainingSeconds(receiptHandle: string, now: number): number {
    const lease = this.#leases.get(receiptHandle);
    return lease ? Math.max(0, Math.floor((lease.receivedAt + MAX_VISIBILITY_MS - now) / 1000)) : 0;
  }

  /** The failure SQS would report for this visibility change at `now`, checked before any request. */
  refusal(entry: DriverVisibilityEntry, now: number): DriverBatchFailure | undefined {
    const { id, receiptHandle, visibilityTimeoutSeconds: seconds } = entry;
    if (this.expired(receiptHandle, now)) {
      return {
        id,
        code: 'MessageNotInflight',
        message: 'the message is not in flight: its visibility timeout already expired',
        senderFault: true,
      };
    }
    if (this.exceedsCap(receiptHandle, seconds, now)) {
      return {
        id,
        code: 'InvalidParameter',
        message: `visibility timeout of ${seconds} s would exceed 12 hours from the receive; at most ${this.remainingSeconds(receiptHandle, now)} s remain`,
        senderFault: true,
      };
    }
    return undefined;
  }
}
