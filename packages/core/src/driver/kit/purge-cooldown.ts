import { type MsgportErrorOptions, PurgeInProgressError } from '../../errors.js';
import { LIMITS } from '../../limits.js';

const COOLDOWN_MS = LIMITS.purgeCooldownSeconds * 1000;

/**
 * The error for purging `queue` at `now` when it was last purged at `lastPurgeAt`, or `undefined`.
 * SQS allows one PurgeQueue per queue every 60 seconds (`PurgeQueueInProgress`, API reference,
 * PurgeQueue).
 */
export function purgeCooldownError(
  queue: string,
  lastPurgeAt: number | undefined,
  now: number,
  options?: MsgportErrorOptions,
): PurgeInProgressError | undefined {
  if (lastPurgeAt === undefined || now - lastPurgeAt >= COOLDOWN_MS) return undefined;
  return new PurgeInProgressError(
    `queue "${queue}" was purged less than ${LIMITS.purgeCooldownSeconds} s ago; wait before purging again`,
    options,
  );
}

/** The last purge of each queue, for transports that keep the rule in the client. */
export class PurgeCooldowns {
  readonly #purgedAt = new Map<string, number>();
  readonly #options: MsgportErrorOptions;

  constructor(transport?: string) {
    this.#options = transport === undefined ? {} : { transport };
  }

  /** Throws `PurgeInProgress` when `queue` was purged less than 60 s before `now`. */
  check(queue: string, now: number): void {
    const error = purgeCooldownError(queue, this.#purgedAt.get(queue), now, this.#options);
    if (error) throw error;
  }

  purged(queue: string, now: number): void {
    this.#purgedAt.set(queue, now);
  }

  /** The queue was deleted: a queue of the same name starts without a cooldown. */
  forget(queue: string): void {
    this.#purgedAt.delete(queue);
  }
}
