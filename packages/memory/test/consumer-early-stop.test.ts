import { consume } from '@msgport/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBroker } from '../src/index.js';

/**
 * Events raised while `consume()` starts are held until the event loop turns, so listeners attached
 * right after `await consume()` hear them. A consumer stopped before that turn (its first batch ran
 * on promise callbacks alone, as on memory) must still deliver them, and `stopped`, before `stop()`
 * resolves.
 */
const brokers: ReturnType<typeof createMemoryBroker>[] = [];
afterEach(async () => {
  await Promise.all(brokers.splice(0).map((broker) => broker.close()));
});

describe('a consumer stopped before the event loop turned (memory)', () => {
  it('delivers the held events and stopped before stop() resolves', async () => {
    const broker = createMemoryBroker({ logger: false });
    brokers.push(broker);
    const queue = await broker.createQueue('early', { visibilityTimeoutSeconds: 60 });
    await queue.send('one');
    let started = false;
    const consumer = await consume(
      queue,
      (_event, context) =>
        new Promise<void>((resolve) => {
          started = true;
          context.signal.addEventListener('abort', () => resolve());
        }),
      { functionTimeoutSeconds: 30, logger: false },
    );
    const heard: string[] = [];
    consumer.on('concurrency', () => heard.push('concurrency'));
    consumer.on('batchComplete', (event) => heard.push(`batchComplete:${event.outcome}`));
    consumer.on('stopped', () => heard.push('stopped'));
    // Promise callbacks only: the event loop does not turn before the stop.
    for (let i = 0; i < 100 && !started; i++) await Promise.resolve();
    expect(started).toBe(true);
    await consumer.stop({ force: true });
    expect(heard).toEqual(['concurrency', 'batchComplete:aborted', 'stopped']);
  });
});
