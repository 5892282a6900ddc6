import { LIMITS } from '@msgport/core/driver';

const WINDOW_MS = LIMITS.deduplicationWindowSeconds * 1000;
const SWEEP_EVERY = 1_000;

/** Values remembered for the 5-minute FIFO deduplication window, counted from each key's first use. */
export class DedupWindow<V> {
  readonly #entries = new Map<string, { readonly value: V; readonly expiresAt: number }>();
  #writes = 0;

  get(key: string, now = Date.now()): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > now) return entry.value;
    this.#entries.delete(key);
    return undefined;
  }

  /** Remembers `value` for the window starting at `at` (the first copy's time). */
  set(key: string, value: V, at = Date.now()): void {
    this.#entries.set(key, { value, expiresAt: at + WINDOW_MS });
    if (++this.#writes % SWEEP_EVERY === 0) this.#sweep(Date.now());
  }

  #sweep(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#entries.delete(key);
    }
  }
}

/** The key a deduplication id is remembered under: per queue, or per message group (`deduplicationScope`). */
export function dedupKey(
  scope: 'queue' | 'messageGroup',
  groupId: string | undefined,
  deduplicationId: string,
): string {
  return scope === 'messageGroup' ? `${groupId ?? ''}\u0000${deduplicationId}` : deduplicationId;
}
