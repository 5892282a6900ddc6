/** A FIFO queue with O(1) push, shift and peek (an array with a moving head, compacted lazily). */
export class Deque<T> {
  #items: T[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  unshift(item: T): void {
    if (this.#head > 0) this.#items[--this.#head] = item;
    else this.#items.unshift(item);
  }

  peek(): T | undefined {
    return this.#head < this.#items.length ? this.#items[this.#head] : undefined;
  }

  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head] as T;
    this.#items[this.#head] = undefined as T;
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Removes the first item matching `predicate`; O(n), for rare out-of-order removals. */
  remove(predicate: (item: T) => boolean): boolean {
    for (let i = this.#head; i < this.#items.length; i++) {
      if (predicate(this.#items[i] as T)) {
        this.#items.splice(i, 1);
        return true;
      }
    }
    return false;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = this.#head; i < this.#items.length; i++) yield this.#items[i] as T;
  }

  clear(): void {
    this.#items = [];
    this.#head = 0;
  }
}
