import { consume, consumeMessages, moveMessages } from '@msgport/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBroker } from '../src/index.js';

/**
 * A memory queue answers without I/O, so a consumer whose queue never runs dry (a large backlog, or
 * a handler that sends onwards) could run on promise callbacks alone and never let the event loop
 * turn: no timer, no socket, not even `stop()` from a timer would run. The runtime must yield, and
 * so must msgport's other loops over a queue (moving messages, redrive).
 */

const brokers: ReturnType<typeof createMemoryBroker>[] = [];
afterEach(async () => {
  await Promise.all(brokers.splice(0).map((broker) => broker.close()));
});

// Far more batches than any fair runtime handles between two turns of the event loop. The handlers
// stop feeding the queue after this many, so a runtime that starves the loop fails instead of hanging.
const BATCHES_BEFORE_GIVING_UP = 20_000;

async function endlessQueue() {
  const broker = createMemoryBroker({ logger: false });
  brokers.push(broker);
  const queue = await broker.createQueue('endless', { visibilityTimeoutSeconds: 60 });
  await queue.sendBatch(Array.from({ length: 10 }, (_, index) => ({ id: `m${index}`, body: 'again' })));
  return queue;
}

/** Batches handled before a 1 ms timer fired, and whether it fired before the handlers gave up. */
function timerProbe() {
  let batches = 0;
  let batchesWhenTimerFired: number | undefined;
  const fired = new Promise<void>((resolve) =>
    setTimeout(() => {
      batchesWhenTimerFired = batches;
      resolve();
    }, 1),
  );
  return {
    fired,
    batch: () => ++batches,
    feeding: () => batches < BATCHES_BEFORE_GIVING_UP,
    result: () => batchesWhenTimerFired,
  };
}

describe('the consumer lets the event loop turn (memory)', () => {
  it('consume(): a handler that keeps its own queue full does not starve timers', async () => {
    const queue = await endlessQueue();
    const probe = timerProbe();
    const consumer = await consume(
      queue,
      async (event) => {
        probe.batch();
        if (probe.feeding()) {
          await queue.sendBatch(event.Records.map((record, index) => ({ id: `r${index}`, body: record.body })));
        }
      },
      { functionTimeoutSeconds: 5, logger: false },
    );
    await probe.fired;
    await consumer.stop();
    expect(probe.result()).toBeLessThan(BATCHES_BEFORE_GIVING_UP);
  });

  it('consumeMessages(): the same for per-message handlers', async () => {
    const queue = await endlessQueue();
    const probe = timerProbe();
    let messages = 0;
    const consumer = await consumeMessages(
      queue,
      async (message) => {
        if (++messages % 10 === 0) probe.batch();
        if (probe.feeding()) await queue.send(message.rawBody);
      },
      { functionTimeoutSeconds: 5, logger: false },
    );
    await probe.fired;
    await consumer.stop();
    expect(probe.result()).toBeLessThan(BATCHES_BEFORE_GIVING_UP);
  });

  it('a timer can stop a consumer draining a backlog', async () => {
    const broker = createMemoryBroker({ logger: false });
    brokers.push(broker);
    const queue = await broker.createQueue('backlog', { visibilityTimeoutSeconds: 60 });
    const batch = Array.from({ length: 10 }, (_, index) => ({ id: `m${index}`, body: 'x' }));
    for (let sent = 0; sent < 50_000; sent += 10) await queue.sendBatch(batch);
    let handled = 0;
    const consumer = await consume(
      queue,
      async (event) => {
        handled += event.Records.length;
      },
      { functionTimeoutSeconds: 5, logger: false },
    );
    await new Promise<void>((resolve) => setTimeout(resolve, 1));
    await consumer.stop();
    // Stopped by the timer part-way, not after the whole backlog had gone through.
    expect(handled).toBeLessThan(50_000);
    const left = await queue.metrics();
    expect(left.ApproximateNumberOfMessagesVisible + left.ApproximateNumberOfMessagesNotVisible).toBe(50_000 - handled);
  });
});

async function backlog(broker: ReturnType<typeof createMemoryBroker>, name: string, count: number) {
  const queue = await broker.createQueue(name, { visibilityTimeoutSeconds: 60 });
  const batch = Array.from({ length: 10 }, (_, index) => ({ id: `m${index}`, body: 'x' }));
  for (let sent = 0; sent < count; sent += 10) await queue.sendBatch(batch);
  return queue;
}

describe('moving messages lets the event loop turn (memory)', () => {
  it('moveMessages: an abort from a timer stops a long move part-way', async () => {
    const broker = createMemoryBroker({ logger: false });
    brokers.push(broker);
    const from = await backlog(broker, 'from', 30_000);
    const to = await backlog(broker, 'to', 0);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 1);
    const moving = moveMessages(from, to, { signal: abort.signal });
    await expect(moving).rejects.toMatchObject({ code: 'Aborted' });
    const left = await from.metrics();
    expect(left.ApproximateNumberOfMessagesVisible + left.ApproximateNumberOfMessagesNotVisible).toBeGreaterThan(0);
  });

  it('redrive: an abort from a timer stops a long redrive part-way', async () => {
    const broker = createMemoryBroker({ logger: false });
    brokers.push(broker);
    await broker.createQueue('source', { visibilityTimeoutSeconds: 60 });
    const dlq = await backlog(broker, 'dead', 30_000);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 1);
    await expect(dlq.redrive({ to: 'source', signal: abort.signal })).rejects.toMatchObject({ code: 'Aborted' });
    const left = await dlq.metrics();
    expect(left.ApproximateNumberOfMessagesVisible + left.ApproximateNumberOfMessagesNotVisible).toBeGreaterThan(0);
  });
});
