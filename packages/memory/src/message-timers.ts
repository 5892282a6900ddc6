import { IndexedHeap } from './indexed-heap.js';
import type { MessageTable } from './message-table.js';
import { NONE, SlotChain, type SlotLinks } from './slot-chain.js';
import { workCounts } from './work-counts.js';

/** The timers of one duration: set in due order, so the first is always the next due. */
export class TimerList extends SlotChain {
  /** The list's id, which the table keeps for each slot on a timer. */
  readonly id: number;
  readonly durationMs: number;
  heapIndex = -1;

  constructor(id: number, durationMs: number, links: SlotLinks) {
    super(links);
    this.id = id;
    this.durationMs = durationMs;
  }
}

/**
 * When delayed messages become ready and in-flight ones visible again. Timers of one duration fall
 * due in the order they were set, so each duration keeps a list (O(1) to set and to cancel) and a
 * heap orders the lists by their first due time: O(log d) for the d durations in use, whatever the
 * number of timers. A cancelled timer leaves nothing behind that keeps its message reachable.
 */
export class MessageTimers {
  readonly #table: MessageTable;
  /** By duration; empty lists stay (there are at most about 44,000 whole-second durations). */
  readonly #lists = new Map<number, TimerList>();
  /** By id. */
  #byId: TimerList[] = [];
  #last: TimerList | undefined;
  readonly #heap: IndexedHeap<TimerList>;

  constructor(table: MessageTable) {
    this.#table = table;
    this.#heap = new IndexedHeap<TimerList>(
      (a, b) => {
        const dueA = table.dueAt(a.head);
        const dueB = table.dueAt(b.head);
        return dueA < dueB || (dueA === dueB && table.birth(a.head) < table.birth(b.head));
      },
      (list, index) => {
        list.heapIndex = index;
      },
    );
  }

  /** Sets the timer of `slot` (which has none) to `delayMs` from `now`. */
  schedule(slot: number, delayMs: number, now: number): void {
    // Most timers of a queue have one duration (its visibility timeout): the last list is kept at hand.
    let list = this.#last?.durationMs === delayMs ? this.#last : this.#lists.get(delayMs);
    if (list === undefined) {
      list = new TimerList(this.#byId.length, delayMs, this.#table.timerLinks);
      this.#lists.set(delayMs, list);
      this.#byId.push(list);
    }
    this.#last = list;
    const tail = list.tail;
    // A clock that steps back must not put a timer before one set earlier in the same list.
    const due = tail === NONE ? now + delayMs : Math.max(now + delayMs, this.#table.dueAt(tail));
    this.#table.setTimer(slot, list.id, due);
    list.push(slot);
    if (list.length === 1) this.#heap.push(list);
  }

  /** Cancels the timer of `slot`, if it has one. */
  cancel(slot: number): void {
    const id = this.#table.timerListId(slot);
    if (id === NONE) return;
    const list = this.#byId[id] as TimerList;
    const wasFirst = list.head === slot;
    list.remove(slot);
    this.#table.setTimer(slot, NONE, 0);
    if (list.length === 0) this.#heap.removeAt(list.heapIndex);
    else if (wasFirst) this.#heap.update(list.heapIndex);
  }

  /** Ends every timer due at `now`, earliest first, and hands its slot to `due`. */
  popDue(now: number, due: (slot: number) => void): void {
    for (let list = this.#heap.peek(); list !== undefined; list = this.#heap.peek()) {
      const slot = list.head;
      if (this.#table.dueAt(slot) > now) return;
      workCounts.messageVisits++;
      this.cancel(slot);
      due(slot);
    }
  }

  /** When the next timer is due; `undefined` when none is set. */
  nextDue(): number | undefined {
    const list = this.#heap.peek();
    return list === undefined ? undefined : this.#table.dueAt(list.head);
  }

  clear(): void {
    this.#lists.clear();
    this.#byId = [];
    this.#last = undefined;
    this.#heap.clear();
  }
}
