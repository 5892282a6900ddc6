import { setTimeout as sleep } from 'node:timers/promises';
import { type Broker, consume, type ReceivedMessage } from '@msgport/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { skipTitle, unavailable } from './support/helpers.js';
import { dropNamespace, openBroker, uniqueNamespace } from './support/rabbitmq.js';

const namespace = uniqueNamespace('rcount');
let broker: Broker;

/**
 * A long poll whose deadline falls when a visibility timeout expires sends its `basic.cancel` while
 * the broker is handing it the requeued message. A quorum queue takes such a delivery back and
 * counts it (`x-delivery-count`), so the next receive reported one receive nobody made. The poll
 * lets a delivery that follows this channel's own requeue arrive before it cancels.
 */
describe.skipIf(unavailable)(skipTitle('rabbitmq receive counts'), () => {
  beforeAll(async () => {
    broker = await openBroker(namespace);
  });
  afterAll(async () => {
    await broker?.close();
    await dropNamespace(namespace);
  });

  it('a poll ending as a visibility timeout expires does not add a receive', async () => {
    const queue = await broker.createQueue('aligned');
    const rounds = 12;
    const counts: number[] = [];
    for (let round = 0; round < rounds; round++) {
      await queue.send(`m${round}`);
      const [first] = await queue.receive({ waitTimeSeconds: 1, visibilityTimeoutSeconds: 1 });
      expect(first?.receiveCount).toBe(1);
      // Its 1 s deadline falls within milliseconds of the 1 s visibility timeout of `first`.
      let again: ReceivedMessage<string> | undefined;
      for (let poll = 0; poll < 4 && !again; poll++) {
        [again] = await queue.receive({ waitTimeSeconds: 1, visibilityTimeoutSeconds: 30 });
      }
      expect(again?.messageId).toBe(first?.messageId);
      counts.push(again?.receiveCount ?? 0);
      if (again) await queue.delete(again.receiptHandle);
    }
    expect(counts).toEqual(Array.from({ length: rounds }, () => 2));
  }, 90_000);

  it('concurrent polls woken by returned messages take them all, none counted twice', async () => {
    const queue = await broker.createQueue('concurrent');
    const rounds = 4;
    const size = 40;
    for (let round = 0; round < rounds; round++) {
      const bodies = Array.from({ length: size }, (_, i) => `r${round}-${String(i).padStart(2, '0')}`);
      for (let i = 0; i < size; i += 10) {
        await queue.sendBatch(bodies.slice(i, i + 10).map((body, j) => ({ id: `e${j}`, body })));
      }
      // Held with a long visibility timeout: a slow machine must not let one come back while the
      // rest are still being collected (that would be a real second receive).
      const held = new Map<string, ReceivedMessage<string>>();
      while (held.size < size) {
        for (const m of await queue.receive({ maxMessages: 10, visibilityTimeoutSeconds: 600 }))
          held.set(m.messageId, m);
      }
      const handles = [...held.values()].map((m) => m.receiptHandle);
      const seen: ReceivedMessage<string>[] = [];
      const polls = Array.from({ length: 3 }, async () => {
        for (let poll = 0; poll < 40 && seen.length < size; poll++) {
          seen.push(...(await queue.receive({ maxMessages: 10, waitTimeSeconds: 1, visibilityTimeoutSeconds: 600 })));
        }
      });
      // All of them return at once while the polls wait (the path a visibility timeout's expiry takes).
      await sleep(200);
      for (let i = 0; i < size; i += 10) {
        const chunk = handles
          .slice(i, i + 10)
          .map((receiptHandle, j) => ({ id: `v${j}`, receiptHandle, visibilityTimeoutSeconds: 0 }));
        expect((await queue.changeVisibilityBatch(chunk)).failed).toEqual([]);
      }
      await Promise.all(polls);
      expect(seen.map((m) => m.body).sort()).toEqual(bodies);
      expect(seen.filter((m) => m.receiveCount !== 2).map((m) => `${m.body}#${m.receiveCount}`)).toEqual([]);
      for (let i = 0; i < size; i += 10) {
        await queue.deleteBatch(seen.slice(i, i + 10).map((m, j) => ({ id: `d${j}`, receiptHandle: m.receiptHandle })));
      }
    }
  }, 90_000);

  it('polls ending while a producer keeps sending add no receive', async () => {
    // The consumer runtime's 20 pollers each end their poll at the first delivery while a topic keeps
    // delivering: with a prefetch above 1, a delivery on its way to a cancelled poll was taken back
    // and counted (1–2 of every 2,000 messages reported 2; with maxReceiveCount 2 such a message could
    // reach the dead-letter queue without ever being handled).
    const queue = await broker.createQueue('steady');
    const topic = await broker.createTopic('steady-events');
    await topic.subscribe(queue, { rawMessageDelivery: true });
    const total = 6_000;
    const counts = new Map<string, number>();
    let handled = 0;
    const consumer = await consume(
      queue,
      async (event) => {
        for (const record of event.Records) {
          const count = record.attributes.ApproximateReceiveCount;
          counts.set(count, (counts.get(count) ?? 0) + 1);
        }
        handled += event.Records.length;
      },
      { maximumConcurrency: 20, functionTimeoutSeconds: 5, logger: false },
    );
    consumer.on('warning', () => {});
    try {
      for (let sent = 0; sent < total; sent += 10) {
        await topic.publishBatch(Array.from({ length: 10 }, (_, i) => ({ id: `e${i}`, body: `m${sent + i}` })));
      }
      await vi.waitFor(() => expect(handled).toBeGreaterThanOrEqual(total), { timeout: 30_000, interval: 100 });
    } finally {
      await consumer.stop();
      await broker.deleteTopic(topic.name);
    }
    expect(Object.fromEntries(counts)).toEqual({ 1: total });
  }, 90_000);
});
