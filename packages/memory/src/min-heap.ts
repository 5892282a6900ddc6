/** A binary min-heap ordered by `at`, then by insertion. */
export interface HeapEntry {
  readonly at: number;
  readonly seq: number;
}

export class MinHeap<E extends HeapEntry> {
  #items: E[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): E | undefined {
    return this.#items[0];
  }

  push(entry: E): void {
    const items = this.#items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i] as E, items[parent] as E)) break;
      [items[i], items[parent]] = [items[parent] as E, items[i] as E];
      i = parent;
    }
  }

  pop(): E | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      this.#siftDown(0);
    }
    return top;
  }

  /** Keeps only entries that pass `keep` (used to drop stale entries in one O(n) pass). */
  retain(keep: (entry: E) => boolean): void {
    this.#items = this.#items.filter(keep);
    for (let i = (this.#items.length >> 1) - 1; i >= 0; i--) this.#siftDown(i);
  }

  clear(): void {
    this.#items = [];
  }

  #siftDown(start: number): void {
    const items = this.#items;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < items.length && before(items[left] as E, items[smallest] as E)) smallest = left;
      if (right < items.length && before(items[right] as E, items[smallest] as E)) smallest = right;
      if (smallest === i) return;
      [items[i], items[smallest]] = [items[smallest] as E, items[i] as E];
      i = smallest;
    }
  }
}

function before(a: HeapEntry, b: HeapEntry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
