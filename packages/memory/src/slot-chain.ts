/** No slot: the end of a chain, or a slot in no chain of this kind. */
export const NONE = -1;

/** Integers of no slot: shared, as they are never written. */
const NO_INTS = new Int32Array(0);

/**
 * Where the links of one kind of chain are: in a typed array of integers with `stride` entries per
 * slot, this kind's previous and next slot at `prevAt` and `nextAt` within each slot's entries. A
 * slot is in at most one chain of each kind. Slot numbers, not pointers: nothing for the garbage
 * collector to trace, and a message's links sit next to its other fields.
 */
export class SlotLinks {
  ints: Int32Array = NO_INTS;
  readonly stride: number;
  readonly prevAt: number;
  readonly nextAt: number;

  constructor(stride: number, prevAt: number, nextAt: number) {
    this.stride = stride;
    this.prevAt = prevAt;
    this.nextAt = nextAt;
  }

  /** Capacity in slots. */
  get capacity(): number {
    return this.ints.length / this.stride;
  }

  /** Links of their own (stride 2): room for slots below `capacity`, new ones in no chain. */
  resize(capacity: number): void {
    const ints = new Int32Array(capacity * this.stride).fill(NONE);
    ints.set(this.ints.subarray(0, Math.min(this.ints.length, ints.length)));
    this.ints = ints;
  }

  reset(): void {
    this.ints = NO_INTS;
  }
}

/** The next capacity of a table that ran full: half as much again, at least 16 more. */
export function grownCapacity(capacity: number): number {
  return capacity + Math.max(16, capacity >> 1);
}

/**
 * A doubly linked list of slots threaded through `SlotLinks`: push, remove and shift in O(1) with
 * no allocation, removal from anywhere (delete order does not matter).
 */
export class SlotChain {
  head = NONE;
  tail = NONE;
  length = 0;
  readonly #links: SlotLinks;

  constructor(links: SlotLinks) {
    this.#links = links;
  }

  /** The slot after `slot` in this chain, or `NONE`. */
  after(slot: number): number {
    const links = this.#links;
    return links.ints[slot * links.stride + links.nextAt] as number;
  }

  push(slot: number): void {
    const { ints, stride, prevAt, nextAt } = this.#links;
    const tail = this.tail;
    ints[slot * stride + prevAt] = tail;
    ints[slot * stride + nextAt] = NONE;
    if (tail === NONE) this.head = slot;
    else ints[tail * stride + nextAt] = slot;
    this.tail = slot;
    this.length++;
  }

  /** Unlinks `slot`, which must be in this chain. */
  remove(slot: number): void {
    const { ints, stride, prevAt, nextAt } = this.#links;
    const before = ints[slot * stride + prevAt] as number;
    const after = ints[slot * stride + nextAt] as number;
    if (before === NONE) this.head = after;
    else ints[before * stride + nextAt] = after;
    if (after === NONE) this.tail = before;
    else ints[after * stride + prevAt] = before;
    ints[slot * stride + prevAt] = NONE;
    ints[slot * stride + nextAt] = NONE;
    this.length--;
  }

  shift(): number {
    const head = this.head;
    if (head !== NONE) this.remove(head);
    return head;
  }

  clear(): void {
    this.head = NONE;
    this.tail = NONE;
    this.length = 0;
  }
}
