import { randomUUID } from 'node:crypto';
import { type Broker, connect } from '@msgport/core';
import '@msgport/redis';
import { Queue as BullQueue } from 'bullmq';
import { Redis } from 'ioredis';
import type { BenchSettings } from '../args.js';
import { median } from '../measure.js';
import { backlogRow, scaleQueueName } from './backlog-rows.js';
import { footprintRow } from './memory-footprint.js';
import { BACKLOG_KINDS, type BacklogKind, distinctBody, type Emit, fillBacklog, shortCount } from './workload.js';

const DEPTHS = [10_000, 100_000];
/** Cycles per measured round: 5,000 messages. */
const CYCLES = 500;
/** Messages behind each Redis footprint figure. */
const FOOTPRINT_MESSAGES = 50_000;
const SAMPLES = 3;
const PARALLEL = 16;

/**
 * The Redis rows of the scale section, through `connect('redis://…?prefix=…')` with a prefix of
 * this run's own: depth rows (wall-clock, the work is in the server) and `used_memory` per queued
 * message for msgport, a bare `LPUSH` of the bodies and BullMQ `addBulk`. Everything created is deleted.
 */
export async function redisScaleRows(settings: BenchSettings, emit: Emit, url: string): Promise<void> {
  const prefix = `bench-scale-${randomUUID().slice(0, 8)}:`;
  const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await admin.connect();
  const broker = await connect(`${url}${url.includes('?') ? '&' : '?'}prefix=${encodeURIComponent(prefix)}`);
  try {
    for (const kind of BACKLOG_KINDS) {
      for (const depth of DEPTHS) {
        emit(
          await backlogRow(broker, {
            transport: 'redis',
            kind,
            depth,
            cycles: CYCLES,
            rounds: Math.max(5, settings.rounds),
            parallel: PARALLEL,
            timing: 'wall',
            interleave: true,
          }),
        );
      }
    }
    await footprintRows(broker, admin, prefix, emit);
  } finally {
    await broker.close();
    await deleteKeys(admin, prefix);
    admin.disconnect();
  }
}

async function footprintRows(broker: Broker, admin: Redis, prefix: string, emit: Emit): Promise<void> {
  const count = FOOTPRINT_MESSAGES;
  const sample = async (store: () => Promise<() => Promise<void>>) => {
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const before = await usedMemory(admin);
      const cleanup = await store();
      samples.push(((await usedMemory(admin)) - before) / count);
      await cleanup();
    }
    return median(samples);
  };
  const floor = await sample(async () => {
    const key = `${prefix}lpush`;
    for (let n = 0; n < count; n += 1_000) {
      await admin.lpush(key, ...Array.from({ length: Math.min(1_000, count - n) }, (_, i) => distinctBody(n + i)));
    }
    return async () => void (await admin.del(key));
  });
  const lpush = 'LPUSH of the body';
  const params = (backlog: string) => ({ backlog, depth: count });
  const n = shortCount(count);
  const bull: Partial<Record<BacklogKind, number>> = {};
  for (const kind of ['ready', 'delayed'] as const) {
    const bytes = await sample(() => bullmqJobs(admin, prefix, kind, count));
    bull[kind] = bytes;
    const label = kind === 'ready' ? 'addBulk' : 'addBulk delayed';
    emit(
      footprintRow(
        `bullmq footprint: ${label}, bytes per job at ${n}`,
        bytes,
        floor,
        { transport: 'bullmq', ...params(kind) },
        lpush,
      ),
    );
  }
  for (const kind of BACKLOG_KINDS) {
    const bytes = await sample(async () => {
      const queue = await broker.createQueue(scaleQueueName());
      await fillBacklog(queue, kind, count, { parallel: PARALLEL });
      return () => broker.deleteQueue(queue.name);
    });
    const name = `redis footprint: ${kind}, bytes per message at ${n}`;
    emit(footprintRow(name, bytes, floor, { transport: 'redis', ...params(kind) }, lpush));
    const peer = kind === 'in flight' ? undefined : bull[kind];
    if (peer !== undefined) {
      const versus = `${name} vs BullMQ`;
      emit(footprintRow(versus, bytes, peer, { transport: 'redis', ...params(kind) }, 'BullMQ addBulk'));
    }
  }
}

/** Adds `count` BullMQ jobs (delayed by 15 minutes for `delayed`); returns their removal. */
async function bullmqJobs(admin: Redis, prefix: string, kind: BacklogKind, count: number) {
  const connection = admin.duplicate({ maxRetriesPerRequest: null });
  const queue = new BullQueue(`jobs-${randomUUID().slice(0, 8)}`, { connection, prefix: `${prefix}bull` });
  for (let n = 0; n < count; n += 1_000) {
    const jobs = Array.from({ length: Math.min(1_000, count - n) }, (_, i) => ({
      name: 'job',
      data: { body: distinctBody(n + i) },
      ...(kind === 'delayed' ? { opts: { delay: 900_000 } } : {}),
    }));
    await queue.addBulk(jobs);
  }
  return async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  };
}

/** `used_memory` once nothing deleted is still waiting to be freed (deletes of big keys free lazily). */
async function usedMemory(admin: Redis): Promise<number> {
  for (let waited = 0; ; waited += 50) {
    const info = await admin.info('memory');
    const pending = Number(/^lazyfree_pending_objects:(\d+)/m.exec(info)?.[1] ?? 0);
    if (pending === 0 || waited > 30_000) return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? Number.NaN);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Removes whatever is left under `prefix` (the transport's registry sets, BullMQ's keys). */
async function deleteKeys(admin: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
    if (keys.length > 0) await admin.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
