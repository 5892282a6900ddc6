import { IndexedHeap } from './indexed-heap.js';
import type { MessageTable } from './message-table.js';
import { NONE, SlotChain } from './slot-chain.js';

/**
 * The queue's messages by sent time, for the age of the oldest message and for retention. Sent
 * timestamps only grow along the chain, so its head is the oldest; a message that arrives with an
 * older timestamp (a standard dead-letter queue keeps the original one) waits in a heap instead.
 * Adding, removing and finding the oldest are O(1), O(log n) for those older arrivals.
 */
export class AgeIndex {
  readonly #table: MessageTable;
  readonly #chain: SlotChain;
  readonly #older: IndexedHeap<number>;
  /** Heap positions of the older arrivals. */
  readonly #positions = new Map<number, number>();
  /** Older arrivals held (kept here, so the common case reads no other object). */
  #olderCount = 0;

  constructor(table: MessageTable) {
    this.#table = table;
    this.#chain = new SlotChain(table.ageLinks);
    this.#older = new IndexedHeap<number>(
      (a, b) => this.#sortsBefore(a, b),
      (slot, index) => {
        if (index >= 0) this.#positions.set(slot, index);
        else if (this.#positions.delete(slot)) this.#olderCount--;
      },
    );
  }

  add(slot: number): void {
    const last = this.#chain.tail;
    if (last === NONE || this.#table.sentTimestamp(slot) >= this.#table.sentTimestamp(last)) this.#chain.push(slot);
    else {
      this.#olderCount++;
      this.#older.push(slot);
    }
  }

  remove(slot: number): void {
    const position = this.#olderCount > 0 ? this.#positions.get(slot) : undefined;
    if (position === undefined) this.#chain.remove(slot);
    else this.#older.removeAt(position);
  }

  /** The slot of the oldest message, or `NONE`. */
  oldest(): number {
    const first = this.#chain.head;
    const older = this.#olderCount > 0 ? (this.#older.peek() ?? NONE) : NONE;
    if (older === NONE) return first;
    return first === NONE || this.#sortsBefore(older, first) ? older : first;
  }

  clear(): void {
    this.#chain.clear();
    this.#older.clear();
    this.#positions.clear();
    this.#olderCount = 0;
  }

  #sortsBefore(a: number, b: number): boolean {
    const table = this.#table;
    const sentA = table.sentTimestamp(a);
    const sentB = table.sentTimestamp(b);
    return sentA < sentB || (sentA === sentB && table.birth(a) < table.birth(b));
  }
}
