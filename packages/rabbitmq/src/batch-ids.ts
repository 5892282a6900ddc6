import { randomUUID } from 'node:crypto';

/**
 * The message ids of a batch, by the batch: core retries a failed call with the same entries, and a
 * retry after a lost confirm must publish the same ids again (the broker may already hold the first
 * copies), so a second copy is recognisable as the same message.
 */
export class BatchIds {
  readonly #ids = new WeakMap<readonly object[], string[]>();

  of(entries: readonly object[]): string[] {
    let ids = this.#ids.get(entries);
    if (!ids) {
      ids = entries.map(() => randomUUID());
      this.#ids.set(entries, ids);
    }
    return ids;
  }
}
