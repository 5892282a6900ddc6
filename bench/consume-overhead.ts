import { type Broker, consume, type Queue, type SQSEvent, toSqsEvent } from '@msgport/core';
import type { BenchSettings } from './args.js';
import type { Row } from './measure.js';
import { median, percentile } from './measure.js';

async function fill(queue: Queue, count: number, body: string): Promise<void> {
  const batch = Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, body }));
  for (let sent = 0; sent < count; sent += 10) await queue.sendBatch(batch);
}

/**
 * The baseline: `concurrency` loops of receive(10) → no-op handler → deleteBatch. With `records`,
 * each batch also becomes the Lambda event `consume()` hands its handler (DESIGN §5), and nothing
 * else of the runtime runs: the ceiling of `consume()` against the plain loop.
 */
async function drainRaw(queue: Queue, count: number, concurrency: number, records = false): Promise<number> {
  let processed = 0;
  const done = new AbortController();
  const started = process.hrtime.bigint();
  let finished = started;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (processed < count) {
        const messages = await queue
          .receive({ maxMessages: 10, waitTimeSeconds: 1, signal: done.signal })
          .catch(() => []);
        if (messages.length === 0) continue;
        if (records) await handle(toSqsEvent(messages, LAMBDA_ARN, 'us-east-1'));
        await queue.deleteBatch(messages.map((m, i) => ({ id: `d${i}`, receiptHandle: m.receiptHandle })));
        processed += messages.length;
        if (processed >= count) {
          finished = process.hrtime.bigint();
          done.abort();
        }
      }
    }),
  );
  return count / (Number(finished - started) / 1e9);
}

const LAMBDA_ARN = 'arn:aws:sqs:us-east-1:000000000000:bench';
let handled = 0;
async function handle(event: SQSEvent): Promise<void> {
  handled += event.Records.length;
}

async function drainConsume(queue: Queue, count: number, concurrency: number): Promise<number> {
  let processed = 0;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  const started = process.hrtime.bigint();
  const consumer = await consume(
    queue,
    async (event) => {
      processed += event.Records.length;
    },
    { maximumConcurrency: Math.max(2, concurrency), functionTimeoutSeconds: 30 },
  );
  consumer.on('warning', () => {});
  let deleted = 0;
  consumer.on('batchComplete', (event) => {
    deleted += event.deleted;
    if (deleted >= count) finish();
  });
  await done;
  const rate = count / (Number(process.hrtime.bigint() - started) / 1e9);
  await consumer.stop();
  return rate + processed * 0;
}

async function latencies(queue: Queue, samples: number, viaConsume: boolean, concurrency: number): Promise<number[]> {
  const seen: number[] = [];
  let stop: () => Promise<void>;
  if (viaConsume) {
    const consumer = await consume(
      queue,
      async (event) => {
        for (const record of event.Records) seen.push(performance.now() - Number(record.body.slice(0, 20)));
      },
      { maximumConcurrency: Math.max(2, concurrency), functionTimeoutSeconds: 30 },
    );
    consumer.on('warning', () => {});
    stop = () => consumer.stop();
  } else {
    let running = true;
    const loops = Array.from({ length: concurrency }, async () => {
      while (running) {
        const messages = await queue.receive({ maxMessages: 10, waitTimeSeconds: 1 });
        for (const m of messages) seen.push(performance.now() - Number(m.rawBody.slice(0, 20)));
        if (messages.length > 0)
          await queue.deleteBatch(messages.map((m, i) => ({ id: `d${i}`, receiptHandle: m.receiptHandle })));
      }
    });
    stop = async () => {
      running = false;
      await Promise.all(loops);
    };
  }
  for (let i = 0; i < samples; i++) {
    await queue.send(performance.now().toFixed(6).padStart(20, '0'));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  while (seen.length < samples) await new Promise((resolve) => setTimeout(resolve, 5));
  await stop();
  return seen;
}

/** consume() against a raw receive/delete loop on the same transport: drain throughput and latency. */
export async function consumeRows(broker: Broker, settings: BenchSettings): Promise<Row[]> {
  const body = 'x'.repeat(settings.payloadBytes);
  const count = Math.min(settings.messages, 100_000);
  const raw: number[] = [];
  const managed: number[] = [];
  const recordsOnly: number[] = [];
  // One unmeasured round first: the consumer's code is compiled by then, as the raw loop's already
  // is (the cycle section runs the same queue calls before this one).
  for (let round = -1; round < settings.rounds; round++) {
    const measured = round >= 0;
    const size = measured ? count : Math.min(count, 20_000);
    const a = await broker.createQueue(`bench-raw-${Date.now()}-${round}`, { visibilityTimeoutSeconds: 300 });
    await fill(a, size, body);
    const rawRate = await drainRaw(a, size, settings.concurrency);
    const b = await broker.createQueue(`bench-consume-${Date.now()}-${round}`, { visibilityTimeoutSeconds: 300 });
    await fill(b, size, body);
    const managedRate = await drainConsume(b, size, settings.concurrency);
    const c = await broker.createQueue(`bench-records-${Date.now()}-${round}`, { visibilityTimeoutSeconds: 300 });
    await fill(c, size, body);
    const recordsRate = await drainRaw(c, size, settings.concurrency, true);
    if (measured) {
      raw.push(rawRate);
      managed.push(managedRate);
      recordsOnly.push(recordsRate);
    }
    await broker.deleteQueue(a.name);
    await broker.deleteQueue(b.name);
    await broker.deleteQueue(c.name);
  }
  const samples = 1_000;
  const rawQueue = await broker.createQueue(`bench-lat-raw-${Date.now()}`, { visibilityTimeoutSeconds: 300 });
  const rawLatency = await latencies(rawQueue, samples, false, settings.concurrency);
  const consumeQueue = await broker.createQueue(`bench-lat-consume-${Date.now()}`, { visibilityTimeoutSeconds: 300 });
  const consumeLatency = await latencies(consumeQueue, samples, true, settings.concurrency);
  await broker.deleteQueue(rawQueue.name);
  await broker.deleteQueue(consumeQueue.name);
  const t = broker.transport;
  return [
    {
      name: `${t}: consume() drain, batches of 10, concurrency ${settings.concurrency}`,
      value: median(managed),
      unit: 'msg/s',
      baseline: { name: 'raw receive/delete loop', value: median(raw) },
    },
    {
      name: `${t}: raw loop + Lambda records, no runtime (ceiling)`,
      value: median(recordsOnly),
      unit: 'msg/s',
      baseline: { name: 'raw receive/delete loop', value: median(raw) },
    },
    {
      name: `${t}: consume() end-to-end latency p50`,
      value: percentile(consumeLatency, 50),
      unit: 'ms',
      lowerIsBetter: true,
      baseline: { name: 'raw loop p50', value: percentile(rawLatency, 50) },
    },
    {
      name: `${t}: consume() end-to-end latency p99`,
      value: percentile(consumeLatency, 99),
      unit: 'ms',
      lowerIsBetter: true,
      baseline: { name: 'raw loop p99', value: percentile(rawLatency, 99) },
    },
  ];
}
