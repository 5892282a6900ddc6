/**
 * A FIFO queue with O(1) push, shift and peek: a ring buffer whose size is a power of two. It only
 * grows, so a busy lane reuses one buffer instead of reallocating and copying as its head moves.
 */
export class Deque<T> {
  #items: (T | undefined)[] = new Array(8);
  #head = 0;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(item: T): void {
    if (this.#length === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#length) & (this.#items.length - 1)] = item;
    this.#length++;
  }

  unshift(item: T): void {
    if (this.#length === this.#items.length) this.#grow();
    this.#head = (this.#head - 1) & (this.#items.length - 1);
    this.#items[this.#head] = item;
    this.#length++;
  }

  peek(): T | undefined {
    return this.#length > 0 ? this.#items[this.#head] : undefined;
  }

  shift(): T | undefined {
    if (this.#length === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) & (this.#items.length - 1);
    this.#length--;
    return item;
  }

  /** Removes the first item matching `predicate`; O(n), for rare out-of-order removals. */
  remove(predicate: (item: T) => boolean): boolean {
    const mask = this.#items.length - 1;
    for (let i = 0; i < this.#length; i++) {
      if (!predicate(this.#items[(this.#head + i) & mask] as T)) continue;
      for (let j = i; j < this.#length - 1; j++) {
        this.#items[(this.#head + j) & mask] = this.#items[(this.#head + j + 1) & mask];
      }
      this.#items[(this.#head + this.#length - 1) & mask] = undefined;
      this.#length--;
      return true;
    }
    return false;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    const mask = this.#items.length - 1;
    for (let i = 0; i < this.#length; i++) yield this.#items[(this.#head + i) & mask] as T;
  }

  clear(): void {
    this.#items = new Array(8);
    this.#head = 0;
    this.#length = 0;
  }

  /** Doubles the buffer (its size stays a power of two), unrolling the ring to start at 0. */
  #grow(): void {
    const items = this.#items;
    const grown: (T | undefined)[] = new Array(items.length * 2);
    for (let i = 0; i < this.#length; i++) grown[i] = items[(this.#head + i) & (items.length - 1)];
    this.#items = grown;
    this.#head = 0;
  }
}
