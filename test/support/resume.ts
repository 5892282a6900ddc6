import { writeFile } from 'node:fs/promises';
import type { Ledger } from './ledger.js';

/** A fault the tool caused; the resume clock starts at `from` (a restart: when the broker listens again). */
export interface Fault {
  readonly kind: 'restart' | 'cut' | 'kill-node' | 'restart-node' | 'restart-leader';
  readonly at: number;
  readonly from: number;
  readonly detail?: string;
}

export interface FaultResume {
  readonly fault: Fault;
  /** Seconds until processing (and, while it was still sending, the producer) moved again. */
  readonly seconds: number;
  /** False when the flow never moved again: `seconds` then runs to the end of the run, a lower bound. */
  readonly resumed: boolean;
}

/** First value in the sorted array greater than `t`, or undefined. */
function firstAfter(sorted: readonly number[], t: number): number | undefined {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) <= t) low = mid + 1;
    else high = mid;
  }
  return sorted[low];
}

/**
 * How long each fault stopped the flow: from the fault until the first message was processed
 * after it, counted when work was waiting (a message sent, before or after the fault, that was
 * still unprocessed at the fault), and until the
 * producer's next resolved send while it still had messages to send. A stream that never moved
 * again counts until `endAt`, the end of the run.
 */
export function resumeTimes(ledger: Ledger, faults: readonly Fault[], endAt: number): FaultResume[] {
  const processTimes = [...ledger.processTimes].sort((a, b) => a - b);
  const sendTimes = [...ledger.sendTimes].sort((a, b) => a - b);
  return faults.map((fault) => {
    const t = fault.from;
    let waitedMs = 0;
    // Work waits when some sent message (sent before the fault or after it) was unprocessed at t.
    const pending = [...ledger.sentAt.keys()].some((seq) => {
      const processedAt = ledger.processedAt.get(seq);
      return processedAt === undefined || processedAt > t;
    });
    if (pending) {
      const next = firstAfter(processTimes, t);
      waitedMs = Math.max(waitedMs, next === undefined ? Number.POSITIVE_INFINITY : next - t);
    }
    const stillSending = ledger.producerDoneAt === undefined || ledger.producerDoneAt > t;
    if (stillSending) {
      const next = firstAfter(sendTimes, t);
      waitedMs = Math.max(waitedMs, next === undefined ? Number.POSITIVE_INFINITY : next - t);
    }
    const resumed = Number.isFinite(waitedMs);
    return { fault, seconds: (resumed ? waitedMs : endAt - t) / 1000, resumed };
  });
}

export function maxResume(resumes: readonly FaultResume[]): number {
  return resumes.reduce((max, { seconds }) => Math.max(max, seconds), 0);
}

/** `kind at from detail` per line, epoch ms as in the clients' logs: for a post-mortem with --keep. */
export async function writeFaultTimeline(path: string, faults: readonly Fault[]): Promise<void> {
  await writeFile(path, faults.map((f) => `${f.kind} ${f.at} ${f.from} ${f.detail ?? ''}\n`).join(''));
}
