import type { Broker, ReceivedMessage } from '@msgport/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('concurrent polls woken by requeued messages take them all, none counted twice', async () => {
    const queue = await broker.createQueue('concurrent');
    const rounds = 6;
    for (let round = 0; round < rounds; round++) {
      const bodies = Array.from({ length: 4 }, (_, i) => `r${round}-${i}`);
      await queue.sendBatch(bodies.map((body, i) => ({ id: `e${i}`, body })));
      let held: ReceivedMessage<string>[] = [];
      while (held.length < bodies.length) {
        held = held.concat(await queue.receive({ maxMessages: 10, waitTimeSeconds: 1, visibilityTimeoutSeconds: 1 }));
      }
      const seen: ReceivedMessage<string>[] = [];
      // Several polls wait while all four become visible again at once.
      await Promise.all(
        Array.from({ length: 3 }, async () => {
          for (let poll = 0; poll < 4 && seen.length < bodies.length; poll++) {
            seen.push(...(await queue.receive({ maxMessages: 10, waitTimeSeconds: 1, visibilityTimeoutSeconds: 30 })));
          }
        }),
      );
      expect(seen.map((m) => m.body).sort()).toEqual(bodies);
      expect(seen.map((m) => m.receiveCount)).toEqual([2, 2, 2, 2]);
      await queue.deleteBatch(seen.map((m, i) => ({ id: `d${i}`, receiptHandle: m.receiptHandle })));
    }
  }, 90_000);
});
