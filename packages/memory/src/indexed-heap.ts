/**
 * A binary min-heap whose items know their position (`place` tells them), so any item can be
 * removed or re-sorted in O(log n) after its key changed.
 */
export class IndexedHeap<T> {
  #items: T[] = [];
  readonly #before: (a: T, b: T) => boolean;
  readonly #place: (item: T, index: number) => void;

  /** `before(a, b)`: `a` sorts first. `place(item, i)`: `item` is now at index `i` (-1: removed). */
  constructor(before: (a: T, b: T) => boolean, place: (item: T, index: number) => void) {
    this.#before = before;
    this.#place = place;
  }

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    this.#items.push(item);
    this.#siftUp(this.#items.length - 1);
  }

  /** Removes the item at `index`. */
  removeAt(index: number): void {
    const items = this.#items;
    const removed = items[index] as T;
    const last = items.pop() as T;
    this.#place(removed, -1);
    if (index < items.length) {
      items[index] = last;
      this.update(index);
    }
  }

  /** Restores the order after the key of the item at `index` changed. */
  update(index: number): void {
    this.#siftDown(this.#siftUp(index));
  }

  clear(): void {
    this.#items = [];
  }

  #siftUp(start: number): number {
    const items = this.#items;
    const item = items[start] as T;
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = items[parent] as T;
      if (!this.#before(item, above)) break;
      items[i] = above;
      this.#place(above, i);
      i = parent;
    }
    items[i] = item;
    this.#place(item, i);
    return i;
  }

  #siftDown(start: number): void {
    const items = this.#items;
    const item = items[start] as T;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && this.#before(items[right] as T, items[left] as T) ? right : left;
      const below = items[child] as T;
      if (!this.#before(below, item)) break;
      items[i] = below;
      this.#place(below, i);
      i = child;
    }
    items[i] = item;
    this.#place(item, i);
  }
}
