import { DedupWindow } from '@msgport/core/driver';

/** One deduplication window per queue or topic incarnation (a re-created one starts empty). */
export class DedupWindows<V> {
  readonly #windows = new Map<string, DedupWindow<V>>();

  of(resource: { readonly name: string; readonly id: string }): DedupWindow<V> {
    const key = `${resource.name}\u0000${resource.id}`;
    let window = this.#windows.get(key);
    if (!window) {
      window = new DedupWindow();
      this.#windows.set(key, window);
    }
    return window;
  }

  /** Forgets every window of `name` (deleted). */
  forget(name: string): void {
    for (const key of [...this.#windows.keys()]) if (key.startsWith(`${name}\u0000`)) this.#windows.delete(key);
  }
}
