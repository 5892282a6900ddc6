import { LIMITS, PurgeInProgressError } from '@msgport/core/driver';

/**
 * SQS allows one PurgeQueue per queue per 60 seconds (`PurgeQueueInProgress`). SQS enforces it; the
 * driver also remembers its own purges, so the rule holds on emulators that purge instantly (fauxqs).
 */
export class PurgeGuard {
  readonly #purgedAt = new Map<string, number>();
  readonly #transport: string;

  constructor(transport: string) {
    this.#transport = transport;
  }

  check(queue: string, now = Date.now()): void {
    const last = this.#purgedAt.get(queue);
    if (last !== undefined && now - last < LIMITS.purgeCooldownSeconds * 1000) {
      throw new PurgeInProgressError(
        `queue "${queue}" was purged less than ${LIMITS.purgeCooldownSeconds} s ago; wait before purging again`,
        { transport: this.#transport },
      );
    }
  }

  purged(queue: string, now = Date.now()): void {
    this.#purgedAt.set(queue, now);
  }

  forget(queue: string): void {
    this.#purgedAt.delete(queue);
  }
}
