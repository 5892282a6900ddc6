import type { Queue, SendBatchEntry } from '@msgport/core';
import type { Row } from '../measure.js';

/** Receives rows as they are measured: long sections print as they go. */
export type Emit = (row: Row) => void;

/** Body size of every scale row. */
export const BODY_BYTES = 200;

/**
 * Distinct 200-byte bodies, each a flat string of its own (as a body read from a socket or a file
 * would be): `body(i)` starts with the number `i`.
 */
export function distinctBody(i: number): string {
  const buffer = Buffer.alloc(BODY_BYTES, 0x2e);
  buffer.write(i.toString(36), 'latin1');
  return buffer.toString('latin1');
}

/** The send entries of one cycle (10 messages); FIFO rows give each a group and a deduplication id. */
export type CycleEntries = (cycle: number) => SendBatchEntry<string>[];

const cycleBody = distinctBody(-1);

export function standardEntries(): CycleEntries {
  const entries = Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, body: cycleBody }));
  return () => entries;
}

/** FIFO entries: message `n` (counting on from `first`) goes to group `group(n)`, with a unique deduplication id. */
export function fifoEntries(first: number, group: (n: number) => string): CycleEntries {
  let n = first;
  return () =>
    Array.from({ length: 10 }, (_, i) => {
      n++;
      return { id: `m${i}`, body: cycleBody, groupId: group(n), deduplicationId: `d${n}` };
    });
}

/**
 * What a rate is per second of. `cpu`: the process's CPU time (all its threads, garbage collection
 * included), for in-process transports — on a shared machine other processes' load moves wall-clock
 * rates by a factor of two or more, CPU time far less. `wall`: elapsed time, for transports whose
 * work happens in a server.
 */
export type Timing = 'cpu' | 'wall';

/** Starts a stopwatch of `timing`; calling the result gives the seconds since. */
export function stopwatch(timing: Timing): () => number {
  if (timing === 'wall') {
    const started = process.hrtime.bigint();
    return () => Number(process.hrtime.bigint() - started) / 1e9;
  }
  const started = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(started);
    return (used.user + used.system) / 1e6;
  };
}

/** The unit of a rate measured with `timing`. */
export const rateUnit = (timing: Timing) => (timing === 'cpu' ? 'msg/CPU-s' : 'msg/s');

/**
 * The measured unit of every scale row: `cycles` times send 10 → receive 10 → delete 10, one after
 * the other, on `queueOf(cycle)`. Returns messages per second of `timing`.
 */
export async function cycleRate(
  queueOf: (cycle: number) => Queue<string>,
  entries: CycleEntries,
  cycles: number,
  timing: Timing,
): Promise<number> {
  const receive = { maxMessages: 10, waitTimeSeconds: 0 };
  const elapsed = stopwatch(timing);
  let moved = 0;
  for (let cycle = 0; cycle < cycles; cycle++) {
    const queue = queueOf(cycle);
    await queue.sendBatch(entries(cycle));
    const received = await queue.receive(receive);
    if (received.length === 0) continue;
    await queue.deleteBatch(received.map((m, j) => ({ id: `d${j}`, receiptHandle: m.receiptHandle })));
    moved += received.length;
  }
  return moved / elapsed();
}

/** One warm-up run, then `rounds` runs; every run's rate is kept. */
export async function rates(rounds: number, run: () => Promise<number>): Promise<number[]> {
  await run();
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) out.push(await run());
  return out;
}

/** Where a backlog waits. */
export type BacklogKind = 'ready' | 'delayed' | 'in flight';

export const BACKLOG_KINDS: readonly BacklogKind[] = ['ready', 'delayed', 'in flight'];

/**
 * Fills `queue` with `depth` messages of `kind` (distinct bodies), `parallel` batches at a time:
 * ready; delayed by 15 minutes; or received with a 12 h visibility timeout (in flight).
 */
export async function fillBacklog(
  queue: Queue<string>,
  kind: BacklogKind,
  depth: number,
  options: { parallel?: number; groupOf?: (n: number) => string } = {},
): Promise<void> {
  const parallel = options.parallel ?? 1;
  const { groupOf } = options;
  let next = 0;
  const send = async () => {
    while (next < depth) {
      const first = next;
      next = Math.min(depth, next + 10);
      const entries = [];
      for (let n = first; n < next; n++) {
        const body = distinctBody(n);
        const entry = { id: `m${n - first}`, body, ...(kind === 'delayed' ? { delaySeconds: 900 } : {}) };
        entries.push(groupOf ? { ...entry, groupId: groupOf(n), deduplicationId: `b${n}` } : entry);
      }
      await queue.sendBatch(entries);
    }
  };
  await Promise.all(Array.from({ length: parallel }, send));
  if (kind !== 'in flight') return;
  let received = 0;
  const take = async () => {
    while (received < depth) {
      const messages = await queue.receive({ maxMessages: 10, waitTimeSeconds: 0, visibilityTimeoutSeconds: 43_200 });
      if (messages.length === 0) break;
      received += messages.length;
    }
  };
  await Promise.all(Array.from({ length: parallel }, take));
}

/** `10k`, `1M`: depths as the row names spell them. */
export function shortCount(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1_000 && n % 1_000 === 0) return `${n / 1_000}k`;
  return String(n);
}
