import { randomUUID } from 'node:crypto';
import { connect } from '@msgport/core';
import '@msgport/memory';
import type { BenchSettings } from '../args.js';
import { median, type Row } from '../measure.js';
import { scaleQueueName } from './backlog-rows.js';
import { liveBytes } from './heap.js';
import { BACKLOG_KINDS, type BacklogKind, distinctBody, type Emit, fillBacklog, shortCount } from './workload.js';

const SAMPLES = 3;

/**
 * The floor: what holding the messages costs at the least, a plain array of `{ id, body,
 * attributes }` with the same distinct bodies and a UUID per message.
 */
function floorBytesPerMessage(count: number): number {
  const before = liveBytes();
  const messages: { id: string; body: string; attributes: Record<string, never> }[] = [];
  // A flat copy of each UUID: randomUUID() builds its text from pieces, which would count extra.
  for (let i = 0; i < count; i++) messages.push({ id: flat(randomUUID()), body: distinctBody(i), attributes: {} });
  const after = liveBytes();
  if (messages.length !== count) throw new Error('unreachable');
  return (after - before) / count;
}

function flat(text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1');
}

/** Bytes the process holds per message for a memory queue of `count` messages of `kind` (bodies included). */
async function queueBytesPerMessage(kind: BacklogKind, count: number): Promise<number> {
  const broker = await connect('memory://');
  const before = liveBytes();
  const queue = await broker.createQueue(scaleQueueName());
  await fillBacklog(queue, kind, count);
  const after = liveBytes();
  await broker.deleteQueue(queue.name);
  await broker.close();
  return (after - before) / count;
}

/**
 * What a queue still holds after `count` in-flight messages were deleted (in reverse order), per
 * deleted message: deleted messages must be released at once, not linger behind stale entries.
 */
async function retainedBytesPerDeleted(count: number): Promise<number> {
  const broker = await connect('memory://');
  const queue = await broker.createQueue(scaleQueueName());
  const before = liveBytes();
  let handles: string[] = [];
  for (let n = 0; n < count; n += 10) {
    await queue.sendBatch(Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, body: distinctBody(n + i) })));
    const received = await queue.receive({ maxMessages: 10, waitTimeSeconds: 0, visibilityTimeoutSeconds: 43_200 });
    for (const message of received) handles.push(message.receiptHandle);
  }
  for (let end = handles.length; end > 0; end -= 10) {
    const batch = handles.slice(Math.max(0, end - 10), end).reverse();
    await queue.deleteBatch(batch.map((receiptHandle, i) => ({ id: `d${i}`, receiptHandle })));
  }
  handles = [];
  const after = liveBytes();
  await broker.close();
  return (after - before) / count;
}

/** Footprint rows: bytes per queued message (median of 3) against the plain-array floor; lower is better. */
export async function memoryFootprintRows(settings: BenchSettings, emit: Emit): Promise<void> {
  const count = settings.footprintMessages;
  const floors: number[] = [];
  for (let i = 0; i < SAMPLES; i++) floors.push(floorBytesPerMessage(count));
  const floor = median(floors);
  for (const kind of BACKLOG_KINDS) {
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i++) samples.push(await queueBytesPerMessage(kind, count));
    emit(
      footprintRow(`memory footprint: ${kind}, bytes per message at ${shortCount(count)}`, median(samples), floor, {
        transport: 'memory',
        backlog: kind,
        depth: count,
      }),
    );
  }
  emit({
    name: `memory footprint: retained after deleting ${shortCount(count)} in flight, per message`,
    value: await retainedBytesPerDeleted(count),
    unit: 'B/msg',
    params: { section: 'scale', case: 'retained', transport: 'memory', depth: count, better: 'lower' },
  });
}

/** A footprint row: the ratio printed is bytes / floor bytes (lower is better). */
export function footprintRow(
  name: string,
  value: number,
  floor: number,
  params: Readonly<Record<string, string | number>>,
  floorName = 'plain array {id, body, attributes}',
): Row {
  return {
    name,
    value,
    unit: 'B/msg',
    baseline: { name: floorName, value: floor },
    params: { section: 'scale', case: 'footprint', better: 'lower', ...params },
  };
}
