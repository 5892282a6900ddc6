import type { Broker, Queue } from '@msgport/core';
import { median, type Row } from '../measure.js';
import { collectGarbage } from './heap.js';
import {
  type BacklogKind,
  type CycleEntries,
  cycleRate,
  fillBacklog,
  rates,
  rateUnit,
  shortCount,
  standardEntries,
  type Timing,
} from './workload.js';

let named = 0;

/** A queue name no other row (or run) uses. */
export function scaleQueueName(fifo = false): string {
  return `scale-${process.pid}-${Date.now().toString(36)}-${named++}${fifo ? '.fifo' : ''}`;
}

export interface BacklogCase {
  readonly transport: string;
  readonly kind: BacklogKind;
  readonly depth: number;
  /** Cycles of 10 messages per measured round. */
  readonly cycles: number;
  readonly rounds: number;
  /** Batches sent (and receives made) at once while filling. */
  readonly parallel: number;
  readonly timing: Timing;
  /** Alternate empty and full rounds (server transports). */
  readonly interleave?: boolean;
  /** Runs on the full queue, next to the empty one, before the full queue is deleted. */
  readonly whileFull?: (full: Queue<string>, empty: Queue<string>) => Promise<void>;
}

/**
 * One depth row: the cycle on a queue holding `depth` messages of `kind`, against the same cycle on
 * an empty queue, measured before the backlog exists and again after it is gone (the median of all).
 */
export async function backlogRow(broker: Broker, c: BacklogCase): Promise<Row> {
  const entries = standardEntries();
  const empty = await broker.createQueue(scaleQueueName());
  const { value, baseline } = await compareCycles(
    { rounds: c.rounds, cycles: c.cycles, timing: c.timing, ...(c.interleave ? { interleave: true } : {}) },
    async () => ({ queueOf: () => empty, entries, done: () => broker.deleteQueue(empty.name) }),
    async () => {
      const full = await broker.createQueue(scaleQueueName());
      await fillBacklog(full, c.kind, c.depth, { parallel: c.parallel });
      return {
        queueOf: () => full,
        entries,
        done: async () => {
          await c.whileFull?.(full, empty);
          await broker.deleteQueue(full.name);
        },
      };
    },
  );
  return {
    name: `${c.transport} scale: ${c.kind} backlog ${shortCount(c.depth)}`,
    value,
    unit: rateUnit(c.timing),
    baseline: { name: 'empty queue', value: baseline },
    params: { section: 'scale', transport: c.transport, case: 'backlog', backlog: c.kind, depth: c.depth },
  };
}

/** A queue setup the cycle runs on: which queue each cycle uses, what it sends, and the cleanup. */
export interface CycleSetup {
  readonly queueOf: (cycle: number) => Queue<string>;
  readonly entries: CycleEntries;
  readonly done: () => Promise<void>;
}

/**
 * The cycle on the `full` setup against the `empty` one, in one process. In-process transports: the
 * empty case before the full one exists and again after it is gone, each on a collected heap (the
 * full queue's garbage and marking work must not land on either side). Server transports
 * (`interleave`): both exist, and rounds alternate so drift on a shared server hits both alike.
 * Medians of all rounds.
 */
export async function compareCycles(
  run: { readonly rounds: number; readonly cycles: number; readonly timing: Timing; readonly interleave?: boolean },
  empty: () => Promise<CycleSetup>,
  full: () => Promise<CycleSetup>,
): Promise<{ value: number; baseline: number }> {
  const once = (setup: CycleSetup) => cycleRate(setup.queueOf, setup.entries, run.cycles, run.timing);
  const measure = (setup: CycleSetup) => rates(run.rounds, () => once(setup));
  const emptyCase = await empty();
  if (run.interleave) {
    const fullCase = await full();
    await once(emptyCase);
    await once(fullCase);
    const base: number[] = [];
    const loaded: number[] = [];
    for (let round = 0; round < run.rounds; round++) {
      base.push(await once(emptyCase));
      loaded.push(await once(fullCase));
    }
    await fullCase.done();
    await emptyCase.done();
    return { value: median(loaded), baseline: median(base) };
  }
  collectGarbage();
  const base = await measure(emptyCase);
  const fullCase = await full();
  // Filling leaves garbage and marking work behind; the rows are about the steady state at that depth.
  collectGarbage();
  const loaded = await measure(fullCase);
  await fullCase.done();
  collectGarbage();
  base.push(...(await measure(emptyCase)));
  await emptyCase.done();
  return { value: median(loaded), baseline: median(base) };
}
