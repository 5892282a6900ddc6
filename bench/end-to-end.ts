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
 * Messages per second from the first send until the last message is processed, with `producers`
 * concurrent producers sending batches of 10; the median of `rounds` fresh pipelines.
 */
export async function endToEnd(
  rounds: number,
  count: number,
  payloadBytes: number,
  producers: number,
  make: (round: number) => Promise<Pipeline>,
): Promise<number> {
  const body = 'x'.repeat(payloadBytes);
  const batch = Array.from({ length: 10 }, () => body);
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const pipeline = await make(round);
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
          sent += 10;
          await pipeline.produce(batch);
        }
      }),
    );
    await finished;
    rates.push(count / (Number(process.hrtime.bigint() - started) / 1e9));
    await stop();
    await pipeline.cleanup?.();
  }
  return median(rates);
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
          { maximumConcurrency: Math.max(2, concurrency), functionTimeoutSeconds: 30, waitTimeSeconds: 1 },
        );
        consumer.on('warning', () => {});
        return () => consumer.stop();
      },
      async produce(bodies) {
        await queue.sendBatch(bodies.map((body, i) => ({ id: `m${i}`, body })));
      },
      cleanup: () => broker.deleteQueue(name),
    };
  })();
}
