/**
 * The flushes of one channel, shared by concurrent callers. AMQP does not confirm acks and rejects:
 * one round trip on the same channel after them does. A caller that comes while a flush is on the wire
 * needs one sent after its own acks, so it waits for the next flush, which every caller until that one
 * starts shares: at most one flush is on the wire and one waits, however many deletes run at once.
 */
export class SharedFlush {
  readonly #roundTrip: () => Promise<void>;
  readonly #gatherMs: number;
  #current: Promise<void> | undefined;
  #next: Promise<void> | undefined;
  /** A round trip about to be sent: callers until then share it. */
  #gathering: Promise<void> | undefined;

  /**
   * `gatherMs` > 0: a round trip is sent that long after the first caller asked for it, and every
   * caller until then shares it (fewer round trips when callers come in quick succession, each
   * waiting up to `gatherMs` longer).
   */
  constructor(roundTrip: () => Promise<void>, gatherMs = 0) {
    this.#roundTrip = roundTrip;
    this.#gatherMs = gatherMs;
  }

  /** Resolves once a round trip sent after this call completed; rejects with that round trip's error. */
  flush(): Promise<void> {
    if (this.#gathering) return this.#gathering;
    if (this.#next) return this.#next;
    const current = this.#current;
    if (!current) return this.#start();
    const next = current.then(settled, settled).then(() => {
      this.#next = undefined;
      return this.#start();
    });
    this.#next = next;
    return next;
  }

  #start(): Promise<void> {
    if (this.#gatherMs <= 0) return this.#send();
    const gathering = new Promise<void>((resolve) => setTimeout(resolve, this.#gatherMs)).then(() => {
      this.#gathering = undefined;
      return this.#send();
    });
    this.#gathering = gathering;
    return gathering;
  }

  #send(): Promise<void> {
    const current: Promise<void> = this.#roundTrip().finally(() => {
      if (this.#current === current) this.#current = undefined;
    });
    this.#current = current;
    return current;
  }
}

function settled(): void {}
