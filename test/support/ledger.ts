import type { LogEvent } from './event-log.js';

/** How a processed record relates to the records before it. */
export type DuplicateKind = 'redelivery' | 'sameReceiveCount' | 'secondCopy';

export interface ErrorTally {
  readonly code: string;
  readonly retryable: boolean;
  count: number;
  readonly example: string;
}

/**
 * Everything the clients logged, folded into the figures of a run. A seq is *sent* when the
 * producer's send resolved for it, *processed* when some consumer recorded it. A further record of
 * a processed seq is a duplicate: a *redelivery* when it is the same message with a higher receive
 * count (a receive whose delete never happened, as SIGKILL causes), otherwise a fault of the
 * transport: the same message without a new receive count, or a second copy of the seq (a send
 * that failed but enqueued anyway, retried by the producer).
 */
export class Ledger {
  /** seq → time its first send resolved. */
  readonly sentAt = new Map<number, number>();
  /** seq → time it was first processed. */
  readonly processedAt = new Map<number, number>();
  /** messageId → highest receive count recorded. */
  readonly #receiveCounts = new Map<string, number>();
  readonly #messageOfSeq = new Map<number, Set<string>>();
  readonly duplicates: Record<DuplicateKind, number> = { redelivery: 0, sameReceiveCount: 0, secondCopy: 0 };
  readonly errors = new Map<string, ErrorTally>();
  readonly sendTimes: number[] = [];
  readonly processTimes: number[] = [];
  readonly gaveUp = new Set<number>();
  producerDoneAt: number | undefined;
  lastEventAt = 0;

  /** The figures of a whole run: every event, in time order (files are read one after another). */
  static of(events: readonly LogEvent[]): Ledger {
    const ledger = new Ledger();
    ledger.add([...events].sort((a, b) => a.at - b.at));
    return ledger;
  }

  add(events: readonly LogEvent[]): void {
    for (const event of events) this.#add(event);
  }

  get duplicateCount(): number {
    return this.duplicates.redelivery + this.duplicates.sameReceiveCount + this.duplicates.secondCopy;
  }

  /** Seqs whose send resolved but that no consumer processed. */
  lost(): number[] {
    return [...this.sentAt.keys()].filter((seq) => !this.processedAt.has(seq)).sort((a, b) => a - b);
  }

  errorCount(): number {
    let total = 0;
    for (const tally of this.errors.values()) total += tally.count;
    return total;
  }

  /** Errors that are not a typed, retryable MsgportError. */
  nonRetryableErrors(): ErrorTally[] {
    return [...this.errors.values()].filter((tally) => !tally.retryable);
  }

  #add(event: LogEvent): void {
    this.lastEventAt = Math.max(this.lastEventAt, event.at);
    switch (event.kind) {
      case 'sent':
        if (!this.sentAt.has(event.seq)) this.sentAt.set(event.seq, event.at);
        this.gaveUp.delete(event.seq);
        this.sendTimes.push(event.at);
        return;
      case 'processed':
        this.#processed(event.seq, event.messageId, event.receiveCount, event.at);
        return;
      case 'error': {
        const key = `${event.role} ${event.code} ${event.retryable}`;
        const tally = this.errors.get(key);
        if (tally) tally.count++;
        else this.errors.set(key, { code: event.code, retryable: event.retryable, count: 1, example: event.message });
        return;
      }
      case 'done':
        this.producerDoneAt = event.at;
        return;
      case 'gaveUp':
        this.gaveUp.add(event.seq);
        return;
    }
  }

  #processed(seq: number, messageId: string, receiveCount: number, at: number): void {
    this.processTimes.push(at);
    const previousCount = this.#receiveCounts.get(messageId);
    this.#receiveCounts.set(messageId, Math.max(previousCount ?? 0, receiveCount));
    const copies = this.#messageOfSeq.get(seq) ?? new Set<string>();
    this.#messageOfSeq.set(seq, copies);
    copies.add(messageId);
    if (!this.processedAt.has(seq)) {
      this.processedAt.set(seq, at);
      return;
    }
    if (previousCount === undefined) this.duplicates.secondCopy++;
    else if (receiveCount > previousCount && receiveCount >= 2) this.duplicates.redelivery++;
    else this.duplicates.sameReceiveCount++;
  }
}
