import { consume } from '@msgport/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryBroker } from '../src/index.js';

/**
 * Unit tests often fake the timers. The consumer's own turns of the event loop must not depend on
 * them: a drain that outlasts one turn's budget has to finish without the test moving fake time.
 */

const brokers: ReturnType<typeof createMemoryBroker>[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(brokers.splice(0).map((broker) => broker.close()));
});

describe('the consumer under fake timers (memory)', () => {
  it.each([
    ['every timer faked', undefined],
    ['setImmediate faked, the clock real', ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] as const],
  ])('drains a backlog that outlasts a turn without the test advancing fake time (%s)', async (_, toFake) => {
    const broker = createMemoryBroker({ logger: false });
    brokers.push(broker);
    const queue = await broker.createQueue('faked', { visibilityTimeoutSeconds: 60 });
    const batch = Array.from({ length: 10 }, (_, index) => ({ id: `m${index}`, body: 'x' }));
    const total = 30_000;
    for (let sent = 0; sent < total; sent += 10) await queue.sendBatch(batch);
    vi.useFakeTimers(toFake ? { toFake: [...toFake] } : undefined);
    let handled = 0;
    let drained: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      drained = resolve;
    });
    const consumer = await consume(
      queue,
      async (event) => {
        handled += event.Records.length;
        if (handled >= total) drained();
      },
      { functionTimeoutSeconds: 5, logger: false },
    );
    // The only waiting here is on the consumer itself, never on a (fake) timer.
    await done;
    expect(handled).toBe(total);
    vi.useRealTimers();
    await consumer.stop();
  });

  it("delivers the consumer's events without the test advancing fake time", async () => {
    const broker = createMemoryBroker({ logger: false });
    brokers.push(broker);
    const queue = await broker.createQueue('events', { visibilityTimeoutSeconds: 60 });
    await queue.send('one');
    vi.useFakeTimers();
    const consumer = await consume(queue, async () => {}, { functionTimeoutSeconds: 5, logger: false });
    const concurrency: number[] = [];
    consumer.on('concurrency', (target) => concurrency.push(target));
    const completed = await new Promise<{ deleted: number }>((resolve) => consumer.once('batchComplete', resolve));
    expect(completed.deleted).toBe(1);
    expect(concurrency).toEqual([5]);
    vi.useRealTimers();
    await consumer.stop();
  });
});
