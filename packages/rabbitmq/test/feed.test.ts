import type { Broker, Queue, ReceivedMessage } from '@msgport/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FEED_IDLE_MS, FEED_STALE_MS } from '../src/queue-feed.js';
import { FEED_AFTER_MESSAGES } from '../src/queue-feeds.js';
import { skipTitle, sleep, unavailable } from './support/helpers.js';
import { dropNamespace, openBroker, uniqueNamespace } from './support/rabbitmq.js';

const namespace = uniqueNamespace('feed');
let a: Broker;
let b: Broker;

async function sendMany(queue: Queue<string>, total: number, tag: string): Promise<void> {
  for (let i = 0; i < total; i += 10) {
    await queue.sendBatch(Array.from({ length: 10 }, (_, j) => ({ id: `e${j}`, body: `${tag}${i + j}` })));
  }
}

/** Receives (and deletes) at least `count` messages with full batches: enough load to start a feed. */
async function drain(
  queue: Queue<string>,
  count: number,
  del = true,
  timeoutMs = 20_000,
): Promise<ReceivedMessage<string>[]> {
  const out: ReceivedMessage<string>[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count && Date.now() < deadline) {
    const batch = await queue.receive({ maxMessages: 10, waitTimeSeconds: 1 });
    out.push(...batch);
    if (del && batch.length > 0) {
      await queue.deleteBatch(batch.map((m, i) => ({ id: `d${i}`, receiptHandle: m.receiptHandle })));
    }
  }
  return out;
}

/**
 * Receive counts of messages a feed gave back: 1 each, except that a quorum queue may count a
 * delivery it was sending as the consumer was cancelled (rarely one or two of a buffer).
 */
function expectFirstReceives(messages: readonly ReceivedMessage<string>[]): void {
  const again = messages.filter((m) => m.receiveCount !== 1);
  expect(again.every((m) => m.receiveCount === 2)).toBe(true);
  expect(again.length).toBeLessThanOrEqual(2);
}

/**
 * A standard queue under load is served from a long-lived consumer's buffer (a feed). Deliveries
 * buffered but never handed out are not receives: when receives stop, or the process closes, they go
 * back to the queue and report their exact receive count to whoever receives them next.
 */
describe.skipIf(unavailable)(skipTitle('rabbitmq feeds'), () => {
  beforeAll(async () => {
    [a, b] = await Promise.all([openBroker(namespace), openBroker(namespace)]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await dropNamespace(namespace);
  });

  it('buffered messages count as visible and go back unreceived when receives stop', async () => {
    const total = 600;
    const queue = await a.createQueue('idle', { visibilityTimeoutSeconds: 120 });
    await sendMany(queue, total, 'i');
    const first = await drain(queue, FEED_AFTER_MESSAGES + 50);
    // The rest is ready on the broker or buffered in this process: visible either way (once the
    // deliveries on their way to the buffer arrived).
    await vi.waitFor(
      async () => {
        const stats = await queue.getAttributes();
        expect([stats.visible, stats.inFlight]).toEqual([total - first.length, 0]);
      },
      { timeout: 900, interval: 50 },
    );
    await sleep(FEED_IDLE_MS + 500);
    // Another process gets every remaining message, each received for the first time.
    const rest = await drain(b.queue('idle'), total - first.length);
    expectFirstReceives(rest);
    expect(new Set([...first, ...rest].map((m) => m.body)).size).toBe(total);
    await a.deleteQueue('idle');
  }, 60_000);

  it('a process that keeps asking but takes little does not hide its buffer from another process for long', async () => {
    const total = 500;
    const queue = await a.createQueue('hoard', { visibilityTimeoutSeconds: 120 });
    await sendMany(queue, total, 'h');
    const first = await drain(queue, FEED_AFTER_MESSAGES + 20);
    // Process a slows down to a message every 100 ms; its receives never stop asking.
    let slow = true;
    const slowTaker = (async () => {
      while (slow) {
        const [message] = await queue.receive({ maxMessages: 1, waitTimeSeconds: 1 });
        if (message) await queue.delete(message);
        await sleep(100);
      }
    })();
    try {
      // Before FEED_STALE_MS took a's buffer back, b got only what a's feed had not prefetched.
      const other = await drain(b.queue('hoard'), total - first.length - 100, true, FEED_STALE_MS + 6_000);
      expect(other.length).toBeGreaterThanOrEqual(total - first.length - 100);
    } finally {
      slow = false;
      await slowTaker;
    }
    await a.deleteQueue('hoard');
  }, 60_000);

  it('close() puts the buffer back: another process receives those messages for the first time', async () => {
    const total = 500;
    const queue = await a.createQueue('closing', { visibilityTimeoutSeconds: 120 });
    await sendMany(queue, total, 'c');
    const first = await drain(queue, FEED_AFTER_MESSAGES + 50);
    await a.close();
    const rest = await drain(b.queue('closing'), total - first.length);
    expectFirstReceives(rest);
    expect(new Set([...first, ...rest].map((m) => m.body)).size).toBe(total);
    a = await openBroker(namespace);
    await b.deleteQueue('closing');
  }, 60_000);

  it('held beyond the prefetch, returned by visibility timeouts and redriven: counts stay exact', async () => {
    const total = 400;
    const dlq = await a.createQueue('redrive-dlq');
    const queue = await a.createQueue('redrive', {
      visibilityTimeoutSeconds: 5,
      deadLetter: { queue: dlq.name, maxReceiveCount: 2 },
    });
    await sendMany(queue, total, 'r');
    // Received without deleting: more in flight than a feed's consumer may hold.
    const once = await drain(queue, total, false);
    expect(once.map((m) => m.receiveCount)).toEqual(once.map(() => 1));
    const twice = await drain(queue, total, false);
    expect(twice.map((m) => m.receiveCount)).toEqual(twice.map(() => 2));
    // The third receive would exceed maxReceiveCount: every message moves to the dead-letter queue
    // (receives go on until all of them came back and were moved; none is handed out).
    const third: ReceivedMessage<string>[] = [];
    const until = Date.now() + 30_000;
    while ((await dlq.getAttributes()).visible < total && Date.now() < until) {
      third.push(...(await queue.receive({ maxMessages: 10, waitTimeSeconds: 1 })));
    }
    expect(third).toEqual([]);
    const moved = await drain(dlq, total);
    // 3 each. Under load (this file next to receive-count.test.ts) 1 of the 400 reported 4 in 2 of
    // about 9 runs: a quorum queue counting a returning delivery that a cancel overtook, the residual
    // the docs describe under receiveCount. Tolerated here, and never more than that.
    const off = moved.filter((m) => m.receiveCount !== 3);
    expect(off.every((m) => m.receiveCount === 4)).toBe(true);
    expect(off.length).toBeLessThanOrEqual(2);
    expect(new Set(moved.map((m) => m.body)).size).toBe(total);
    await a.deleteQueue('redrive');
    await a.deleteQueue('redrive-dlq');
  }, 90_000);
});
