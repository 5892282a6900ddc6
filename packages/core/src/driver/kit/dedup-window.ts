import { LIMITS } from '../../limits.js';
import type { DeduplicationScope } from '../../queue-config.js';

const WINDOW_MS = LIMITS.deduplicationWindowSeconds * 1000;

/** Expired entries at the front of the arrays are cut off once this many have piled up (and half are dead). */
const COMPACT_AFTER = 1_024;

/**
 * The FIFO deduplication interval of SQS queues and SNS topics: the value remembered for a
 * deduplication id (the first message's id and sequence number) for 5 minutes from its first use.
 * Entries sit in arrays in insertion order, which is expiry order when times only grow, so expired
 * ones are dropped from the front as new ones arrive: O(1) amortised, no timers, no sweeps. The
 * map holds each key's entry number, a small integer, so remembering a value allocates no object.
 */
export class DedupWindow<V> {
  /** Key → number of its entry (`#first` is the number of the entry at array index 0). */
  readonly #index = new Map<string, number>();
  readonly #windowMs: number;
  #keys: (string | undefined)[] = [];
  #values: (V | undefined)[] = [];
  #expiries: number[] = [];
  /** Array index of the oldest entry not yet dropped. */
  #head = 0;
  #first = 0;

  constructor(windowMs: number = WINDOW_MS) {
    this.#windowMs = windowMs;
  }

  /** The value remembered for `key`, while its window is open at `now`. */
  get(key: string, now: number): V | undefined {
    const number = this.#index.get(key);
    if (number === undefined) return undefined;
    const at = number - this.#first;
    if ((this.#expiries[at] as number) > now) return this.#values[at];
    this.#index.delete(key);
    this.#values[at] = undefined;
    return undefined;
  }

  /** Remembers `value` for the window opening at `at` (the first copy's time). */
  set(key: string, value: V, at: number): void {
    this.#expire(at);
    // A re-used key moves to the back, where its new expiry belongs; its old entry is skipped later.
    this.#index.set(key, this.#first + this.#keys.length);
    this.#keys.push(key);
    this.#values.push(value);
    this.#expiries.push(at + this.#windowMs);
  }

  #expire(at: number): void {
    const keys = this.#keys;
    const expiries = this.#expiries;
    let head = this.#head;
    while (head < keys.length && (expiries[head] as number) <= at) {
      const key = keys[head] as string;
      if (this.#index.get(key) === this.#first + head) this.#index.delete(key);
      keys[head] = undefined;
      this.#values[head] = undefined;
      head++;
    }
    this.#head = head;
    if (head === keys.length) {
      this.#first += head;
      this.#head = 0;
      if (head > 0) this.#reset();
    } else if (head > COMPACT_AFTER && head * 2 > keys.length) {
      this.#keys = keys.slice(head);
      this.#values = this.#values.slice(head);
      this.#expiries = expiries.slice(head);
      this.#first += head;
      this.#head = 0;
    }
  }

  #reset(): void {
    this.#keys = [];
    this.#values = [];
    this.#expiries = [];
  }

  /** Entries held, expired ones not yet dropped included. */
  get size(): number {
    return this.#index.size;
  }

  clear(): void {
    this.#index.clear();
    this.#first += this.#keys.length;
    this.#head = 0;
    this.#reset();
  }
}

/** The key a deduplication id is remembered under: per queue, or per message group (`deduplicationScope`). */
export function dedupKey(scope: DeduplicationScope, groupId: string | undefined, deduplicationId: string): string {
  return scope === 'messageGroup' ? `${groupId ?? ''}\u0000${deduplicationId}` : deduplicationId;
}
