import type { LogEvent } from './event-log.js';
import { sleep } from './free-port.js';
import { Ledger } from './ledger.js';
import { LogReader } from './log-reader.js';

/** Follows the clients' logs during a run: live counts for the orchestrator, every event for the end. */
export class RunWatch {
  readonly #reader: LogReader;
  readonly #events: LogEvent[] = [];
  readonly live = new Ledger();
  /** When the last new event was read (any kind). */
  lastEventReadAt = Date.now();
  /** When the number of processed seqs last grew. */
  lastProcessedAt = Date.now();
  /** When the number of sent or processed seqs last grew (errors are no progress). */
  lastProgressAt = Date.now();

  constructor(dir: string) {
    this.#reader = new LogReader(dir);
  }

  poll(): void {
    const events = this.#reader.readNew().sort((a, b) => a.at - b.at);
    if (events.length === 0) return;
    const [processed, sent] = [this.live.processedAt.size, this.live.sentAt.size];
    this.#events.push(...events);
    this.live.add(events);
    this.lastEventReadAt = Date.now();
    if (this.live.processedAt.size > processed) this.lastProcessedAt = Date.now();
    if (this.live.processedAt.size > processed || this.live.sentAt.size > sent) this.lastProgressAt = Date.now();
  }

  get allSentProcessed(): boolean {
    return this.live.lost().length === 0;
  }

  /** Polls every 250 ms until `done()` is true or `stop()` says to give up; returns whether done. */
  async until(done: () => boolean, stop: () => boolean): Promise<boolean> {
    for (;;) {
      this.poll();
      if (done()) return true;
      if (stop()) return false;
      await sleep(250);
    }
  }

  /** The run's figures from every event in time order. */
  final(): Ledger {
    this.poll();
    return Ledger.of(this.#events);
  }
}
