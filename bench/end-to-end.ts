import { type Broker, consume } from '@msgport/core';
import { median } from './measure.js';

/** A produce-and-process pipeline under test: consumers run while a producer sends batches of 10. */
export interface Pipeline {
  /** Starts the consumers; `processed(n)` is called as messages complete. Returns a stop function. */
  start(processed: (count: number) => void): Promise<() => Promise<void>>;
  /** Sends one batch (up to 10 bodies). */
  produce(bodies: readonly string[]): Promise<void>;
  /** Removes what the run created. */
  cleanup?(): Promise<void>;
}

/**
 * One produce-and-process round: messages per second from the first send until the last is processed.
 * Producers send `batchSize` bodies at a time (10, or fewer where 10 bodies would pass SQS's 256 KiB batch limit).
 */
export async function oneRound(
  count: number,
  payloadBytes: number,
  producers: number,
  pipeline: Pipeline,
  batchSize = 10,
): Promise<number> {
  const body = 'x'.repeat(payloadBytes);
  const batch = Array.from({ length: batchSize }, () => body);
  let done = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const stop = await pipeline.start((n) => {
    done += n;
    if (done >= count) finish();
  });
  const started = process.hrtime.bigint();
  let sent = 0;
  await Promise.all(
    Array.from({ length: producers }, async () => {
      while (sent < count) {
        sent += batchSize;
        await pipeline.produce(batch);
      }
    }),
  );
  await finished;
  const rate = count / (Number(process.hrtime.bigint() - started) / 1e9);
  await stop();
  await pipeline.cleanup?.();
  return rate;
}

/**
 * Compares pipelines fairly on a shared, noisy machine: one warm-up round each (JIT, connections),
 * then `rounds` rounds taken in turn (A, B, C, A, B, C, …) so drift hits every contender alike; the
 * median of each.
 */
export async function compareEndToEnd(
  rounds: number,
  count: number,
  payloadBytes: number,
  producers: number,
  makers: readonly ((round: number) => Promise<Pipeline>)[],
): Promise<number[]> {
  const rates: number[][] = makers.map(() => []);
  for (let round = -1; round < rounds; round++) {
    for (const [index, make] of makers.entries()) {
      const rate = await oneRound(
        round < 0 ? Math.min(count, 1_000) : count,
        payloadBytes,
        producers,
        await make(round),
      );
      if (round >= 0) rates[index]?.push(rate);
    }
  }
  return rates.map((list) => median(list));
}

/** msgport itself: `sendBatch` producers and a `consume()` consumer at the given concurrency. */
export function msgportPipeline(broker: Broker, name: string, concurrency: number): Promise<Pipeline> {
  return (async () => {
    const queue = await broker.createQueue(name, { visibilityTimeoutSeconds: 60 });
    return {
      async start(processed) {
        const consumer = await consume(
          queue,
          async (event) => {
            processed(event.Records.length);
          },
          // A 10 s function timeout keeps the 60 s visibility within AWS's advice (6×), so no warning.
          { maximumConcurrency: Math.max(2, concurrency), functionTimeoutSeconds: 10, waitTimeSeconds: 1 },
        );
        return () => consumer.stop();
      },
      async produce(bodies) {
        await queue.sendBatch(bodies.map((body, i) => ({ id: `m${i}`, body })));
      },
      cleanup: () => broker.deleteQueue(name),
    };
  })();
}
