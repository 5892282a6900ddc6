import { randomUUID } from 'node:crypto';
import { connect } from '@msgport/core';
import '@msgport/redis';
import { Queue as BullQueue, Worker as BullWorker } from 'bullmq';
import { Redis } from 'ioredis';
import type { BenchSettings } from './args.js';
import { compareEndToEnd, msgportPipeline, type Pipeline } from './end-to-end.js';
import type { Row } from './measure.js';

/** The raw baseline: a reliable list queue, LPUSH → BLMOVE to a processing list → LREM. */
function rawReliableQueue(url: string, concurrency: number): Pipeline {
  const key = `bench:raw:${randomUUID()}`;
  const producer = new Redis(url);
  const workers = Array.from({ length: concurrency }, () => new Redis(url));
  let running = true;
  return {
    async start(processed) {
      const loops = workers.map(async (redis) => {
        while (running) {
          const body = await redis.blmove(key, `${key}:processing`, 'RIGHT', 'LEFT', 1);
          if (body === null) continue;
          await redis.lrem(`${key}:processing`, 1, body);
          processed(1);
        }
      });
      return async () => {
        running = false;
        await Promise.all(loops);
      };
    },
    async produce(bodies) {
      await producer.lpush(key, ...bodies);
    },
    async cleanup() {
      await producer.del(key, `${key}:processing`);
      producer.disconnect();
      for (const worker of workers) worker.disconnect();
    },
  };
}

/** BullMQ: `addBulk` of 10 jobs and a Worker with the same concurrency, completed jobs removed. */
export function bullmq(url: string, concurrency: number): Pipeline {
  const name = `bench-${randomUUID()}`;
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new BullQueue(name, { connection });
  return {
    async start(processed) {
      // A Worker leaves a connection it was given open: this one is closed after it.
      const workerConnection = new Redis(url, { maxRetriesPerRequest: null });
      const worker = new BullWorker(name, async () => {}, {
        connection: workerConnection,
        concurrency,
        removeOnComplete: { count: 0 },
      });
      worker.on('completed', () => processed(1));
      await worker.waitUntilReady();
      return async () => {
        await worker.close();
        workerConnection.disconnect();
      };
    },
    async produce(bodies) {
      await queue.addBulk(bodies.map((body) => ({ name: 'job', data: { body }, opts: { removeOnComplete: true } })));
    },
    async cleanup() {
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    },
  };
}

/** Redis: msgport (sendBatch + consume) against BullMQ and a raw ioredis reliable queue, same payload and concurrency. */
export async function redisRows(settings: BenchSettings, url: string): Promise<Row[]> {
  const count = Math.min(settings.messages, 20_000);
  const broker = await connect(url);
  const [ours = 0, bull = 0, raw = 0] = await compareEndToEnd(settings.rounds, count, settings.payloadBytes, 2, [
    async (round) => msgportPipeline(broker, `bench-redis-${Date.now()}-${round}`, settings.concurrency),
    async () => bullmq(url, settings.concurrency),
    async () => rawReliableQueue(url, settings.concurrency),
  ]);
  await broker.close();
  const label = `redis: produce + process, ${settings.payloadBytes} B, concurrency ${settings.concurrency}`;
  return [
    { name: `${label} vs BullMQ`, value: ours, unit: 'msg/s', baseline: { name: 'BullMQ add + Worker', value: bull } },
    {
      name: `${label} vs raw`,
      value: ours,
      unit: 'msg/s',
      baseline: { name: 'ioredis LPUSH/BLMOVE/LREM', value: raw },
    },
  ];
}
