/**
 * The signal of each receive: it aborts when the caller's signal does or when the transport closes.
 * One listener on the closing signal serves every receive (a listener per receive would pile up on
 * it), and this is cheaper than `AbortSignal.any`, which on Node 20 keeps weak references and
 * finalizers per call, on a path that runs for every receive.
 */
export class ReceiveSignals {
  readonly #closing: AbortSignal;
  readonly #active = new Set<AbortController>();

  constructor(closing: AbortSignal) {
    this.#closing = closing;
    closing.addEventListener(
      'abort',
      () => {
        for (const controller of [...this.#active]) controller.abort(closing.reason);
      },
      { once: true },
    );
  }

  /** The receive's signal; `release` detaches it when the receive ends. */
  open(caller: AbortSignal | undefined): { signal: AbortSignal; release(): void } {
    if (!caller || this.#closing.aborted) return { signal: this.#closing, release: () => {} };
    if (caller.aborted) return { signal: caller, release: () => {} };
    const controller = new AbortController();
    const onAbort = () => controller.abort(caller.reason);
    caller.addEventListener('abort', onAbort, { once: true });
    this.#active.add(controller);
    return {
      signal: controller.signal,
      release: () => {
        caller.removeEventListener('abort', onAbort);
        this.#active.delete(controller);
      },
    };
  }
}
