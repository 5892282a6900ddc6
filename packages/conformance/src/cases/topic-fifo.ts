import { expect } from 'vitest';
import { at } from '../support/compare.js';
import { type CaseContext, defineCase } from '../support/context.js';
import { needs } from '../support/gates.js';
import { shortId } from '../support/names.js';
import { expectQuiet, receiveUntil } from '../support/receive.js';
import { newTopic } from '../support/resources.js';
import { topicHelpers } from '../support/topics.js';

/** I. FIFO topics: order per group to FIFO and standard queues, deduplication. */
export function topicFifoCases(ctx: CaseContext): void {
  const { topics, kindGates, subscribeQueue, expectBodies } = topicHelpers(ctx);

  for (const kind of ctx.subscriptionKinds) {
    const gates = kindGates(kind);

    defineCase(
      ctx,
      'I59',
      `FIFO topic (${kind}): each FIFO queue gets the group in publish order, duplicates dropped; standard queues get it too`,
      async () => {
        const topic = await newTopic(ctx, 'i59', { fifo: true });
        const subs = [
          await subscribeQueue(topic, kind, 'i59-a', {}, {}, 'fifo'),
          await subscribeQueue(topic, kind, 'i59-b', {}, {}, 'fifo'),
        ];
        const standard = await subscribeQueue(topic, kind, 'i59-std');
        const dedup = Array.from({ length: 10 }, (_, i) => `d${i}`);
        dedup[5] = 'd4';
        const bodies = Array.from({ length: 10 }, (_, i) => `i59-${i} ${shortId()}`);
        const results = [];
        for (const [i, body] of bodies.entries()) {
          results.push(await topic.publish(body, { groupId: 'G', deduplicationId: at(dedup, i) }));
        }
        expect(results[5]).toEqual(results[4]);
        expect(at(results, 0).sequenceNumber).toMatch(/^\d+$/);
        const expected = bodies.filter((_, i) => i !== 5);
        for (const s of subs) {
          const got = await receiveUntil(ctx, s.reader, 9, { deleteEach: true });
          expect(got.map((m) => m.body)).toEqual(expected);
          for (const m of got) expect(m.groupId).toBe('G');
          await expectQuiet(ctx, s.reader);
        }
        // A FIFO topic delivers to standard queues too (without their ordering guarantee).
        await expectBodies(kind, standard.reader, expected);
      },
      ...gates,
      needs(ctx, 'fifoTopics', 'fifo'),
    );
  }

  defineCase(
    ctx,
    'I69',
    'FIFO topic content-based dedup: the same body twice is one delivery and returns the original messageId',
    async () => {
      const topic = await newTopic(ctx, 'i69', { fifo: true, contentBasedDeduplication: true });
      const s = await subscribeQueue(topic, 'envelope', 'i69', {}, {}, 'fifo');
      const body = `i69 ${shortId()}`;
      const first = await topic.publish(body, { groupId: 'G' });
      const duplicate = await topic.publish(body, { groupId: 'G' });
      expect(duplicate).toEqual(first);
      const explicit = await topic.publish(body, { groupId: 'G', deduplicationId: 'explicit' });
      expect(explicit.messageId).not.toBe(first.messageId);
      const got = await receiveUntil(ctx, s.reader, 2, { deleteEach: true });
      expect(got.map((m) => m.body)).toEqual([body, body]);
      await expectQuiet(ctx, s.reader);
    },
    topics,
    needs(ctx, 'fifoTopics', 'fifo'),
  );
}
