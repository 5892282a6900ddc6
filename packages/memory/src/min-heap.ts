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
      const item = items[i] as E;
      const above = items[parent] as E;
      if (!before(item, above)) break;
      items[i] = above;
      items[parent] = item;
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
    // In place, so no second array is allocated per compaction.
    const items = this.#items;
    let kept = 0;
    for (let i = 0; i < items.length; i++) {
      const entry = items[i] as E;
      if (keep(entry)) items[kept++] = entry;
    }
    items.length = kept;
    for (let i = (kept >> 1) - 1; i >= 0; i--) this.#siftDown(i);
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
      const item = items[i] as E;
      items[i] = items[smallest] as E;
      items[smallest] = item;
      i = smallest;
    }
  }
}

function before(a: HeapEntry, b: HeapEntry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
