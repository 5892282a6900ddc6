import { type Broker, connect, type Queue } from '@msgport/core';
import '@msgport/memory';
import type { BenchSettings } from '../args.js';
import { median } from '../measure.js';
import { backlogRow, compareCycles, scaleQueueName } from './backlog-rows.js';
import { memoryFootprintRows } from './memory-footprint.js';
import {
  BACKLOG_KINDS,
  type Emit,
  fifoEntries,
  fillBacklog,
  rateUnit,
  shortCount,
  standardEntries,
  stopwatch,
} from './workload.js';

const DEPTHS = [10_000, 100_000, 1_000_000];
const FIFO_DEPTH = 100_000;
const QUEUE_COUNTS = [10, 1_000, 10_000];
/** Cycles per measured round: 50,000 messages. */
const CYCLES = 5_000;

/** FIFO backlogs of 100k messages spread over 1, 100 and 10,000 groups, or one group per message. */
const GROUPINGS: readonly { label: string; groups: number | 'each'; groupOf: (n: number) => string }[] = [
  { label: 'in 1 group', groups: 1, groupOf: () => 'g' },
  { label: 'in 100 groups', groups: 100, groupOf: (n) => `g${n % 100}` },
  { label: 'in 10,000 groups', groups: 10_000, groupOf: (n) => `g${n % 10_000}` },
  { label: 'one group per message', groups: 'each', groupOf: (n) => `g${n}` },
];

/** The memory rows of the scale section: depth, FIFO groups, queue count, `getAttributes()`, footprint. */
export async function memoryScaleRows(settings: BenchSettings, emit: Emit): Promise<void> {
  const broker = await connect('memory://');
  const rounds = settings.rounds;
  for (const kind of BACKLOG_KINDS) {
    for (const depth of DEPTHS) {
      const measureAttributes = kind === 'ready' && depth !== 100_000;
      emit(
        await backlogRow(broker, {
          transport: 'memory',
          kind,
          depth,
          cycles: CYCLES,
          rounds,
          parallel: 1,
          timing: 'cpu',
          ...(measureAttributes
            ? { whileFull: async (full, empty) => emit(await attributesRow(full, empty, depth, rounds)) }
            : {}),
        }),
      );
    }
  }
  for (const grouping of GROUPINGS) emit(await fifoRow(broker, grouping, rounds));
  for (const count of QUEUE_COUNTS) emit(await queueCountRow(broker, count, rounds));
  await broker.close();
  await memoryFootprintRows(settings, emit);
}

async function fifoRow(broker: Broker, grouping: (typeof GROUPINGS)[number], rounds: number) {
  const fifoQueue = async (first: number, fill: number) => {
    const queue = await broker.createQueue(scaleQueueName(true), { fifo: true });
    if (fill > 0) await fillBacklog(queue, 'ready', fill, { groupOf: grouping.groupOf });
    return {
      queueOf: () => queue,
      entries: fifoEntries(first, grouping.groupOf),
      done: () => broker.deleteQueue(queue.name),
    };
  };
  const { value, baseline } = await compareCycles(
    { rounds, cycles: CYCLES, timing: 'cpu' },
    () => fifoQueue(0, 0),
    () => fifoQueue(FIFO_DEPTH, FIFO_DEPTH),
  );
  return {
    name: `memory scale: FIFO ${shortCount(FIFO_DEPTH)} ${grouping.label}`,
    value,
    unit: rateUnit('cpu'),
    baseline: { name: 'empty FIFO queue, same groups', value: baseline },
    params: { section: 'scale', transport: 'memory', case: 'fifo', depth: FIFO_DEPTH, groups: grouping.groups },
  };
}

async function queueCountRow(broker: Broker, count: number, rounds: number) {
  const entries = standardEntries();
  const single = await broker.createQueue(scaleQueueName());
  const { value, baseline } = await compareCycles(
    { rounds, cycles: CYCLES, timing: 'cpu' },
    async () => ({ queueOf: () => single, entries, done: () => broker.deleteQueue(single.name) }),
    async () => {
      const queues: Queue<string>[] = [];
      for (let i = 0; i < count; i++) queues.push(await broker.createQueue(scaleQueueName()));
      return {
        queueOf: (cycle) => queues[cycle % count] as Queue<string>,
        entries,
        done: async () => {
          for (const queue of queues) await broker.deleteQueue(queue.name);
        },
      };
    },
  );
  return {
    name: `memory scale: ${count.toLocaleString('en-US')} queues`,
    value,
    unit: rateUnit('cpu'),
    baseline: { name: 'one queue', value: baseline },
    params: { section: 'scale', transport: 'memory', case: 'queues', queues: count },
  };
}

/** `getAttributes()` on a full queue against an empty one: CPU microseconds per call, median of rounds of 1,000 calls. */
async function attributesRow(full: Queue<string>, empty: Queue<string>, depth: number, rounds: number) {
  const perCall = async (queue: Queue<string>) => {
    const times: number[] = [];
    for (let round = 0; round <= rounds; round++) {
      const elapsed = stopwatch('cpu');
      for (let i = 0; i < 1_000; i++) await queue.getAttributes();
      if (round > 0) times.push((elapsed() * 1e6) / 1_000);
    }
    return median(times);
  };
  const baseline = await perCall(empty);
  const value = await perCall(full);
  return {
    name: `memory scale: getAttributes() at ${shortCount(depth)}`,
    value,
    unit: 'µs',
    baseline: { name: 'empty queue', value: baseline },
    lowerIsBetter: true,
    params: { section: 'scale', transport: 'memory', case: 'getAttributes', depth },
  };
}
