import { expect } from 'vitest';
import type { SubscriptionKind } from '../harness.js';
import { plainAttributes, sorted } from '../support/compare.js';
import { type CaseContext, defineCase } from '../support/context.js';
import { expectError } from '../support/errors.js';
import { needs } from '../support/gates.js';
import { shortId } from '../support/names.js';
import { expectNothingEnqueued, expectQuiet, receiveExactly, receiveOne } from '../support/receive.js';
import { newQueueOfKind, newTopic } from '../support/resources.js';
import { topicHelpers } from '../support/topics.js';

/** I. Topics: size and subject limits, names, subscription rules, publish validation. */
export function topicAdminCases(ctx: CaseContext): void {
  const { topics, subscribeQueue, expectBodies } = topicHelpers(ctx);

  defineCase(
    ctx,
    'I63',
    'topic size limit: 262,144 bytes of body + attributes publish; one byte more is MessageTooLong',
    async () => {
      const kind: SubscriptionKind = ctx.caps.rawDelivery ? 'raw' : 'envelope';
      const topic = await newTopic(ctx, 'i63');
      const s = await subscribeQueue(topic, kind, 'i63');
      const limit = 262_144;
      const body = `${shortId()}${'x'.repeat(limit - 10)}`;
      await topic.publish(body);
      await expectError(topic.publish(`${body}y`), 'MessageTooLong');
      const withAttribute = `${shortId()}${'y'.repeat(limit - 8 - 10)}`; // k + String + v = 8 bytes
      await topic.publish(withAttribute, { attributes: { k: 'v' } });
      await expectError(topic.publish(`${withAttribute}z`, { attributes: { k: 'v' } }), 'MessageTooLong');
      await expectBodies(kind, s.reader, [body, withAttribute]);
    },
    topics,
  );

  defineCase(
    ctx,
    'I64',
    'subject: 1–99 characters without line breaks or control characters, shown in the envelope',
    async () => {
      const topic = await newTopic(ctx, 'i64');
      const queue = await newQueueOfKind(ctx, 'standard', 'i64');
      await topic.subscribe(queue.name);
      const valid = ['Hello subject', 's'.repeat(99), 'Punctuation: ok! (yes) ?'];
      for (const subject of valid) await topic.publish(`i64 ${subject}`, { subject });
      for (const subject of ['', 's'.repeat(100), 'line\nbreak', 'tab\there', 'bell\u0007']) {
        await expectError(topic.publish(`i64 bad ${shortId()}`, { subject }), 'InvalidParameter');
      }
      const got = await receiveExactly(ctx, queue, valid.length);
      const subjects = got.map((m) => JSON.parse(m.rawBody).Subject as string);
      expect(sorted(subjects)).toEqual(sorted(valid));
      for (const m of got) await queue.delete(m);
      await expectQuiet(ctx, queue);
    },
    topics,
  );

  defineCase(
    ctx,
    'I65',
    'a standard topic cannot subscribe a FIFO queue (InvalidParameter, nothing subscribed)',
    async () => {
      const topic = await newTopic(ctx, 'i65');
      const fifoQueue = await newQueueOfKind(ctx, 'fifo', 'i65', { contentBasedDeduplication: true });
      await expectError(topic.subscribe(fifoQueue.name), 'InvalidParameter');
      expect(await topic.listSubscriptions()).toEqual([]);
    },
    topics,
    needs(ctx, 'fifo'),
  );

  defineCase(
    ctx,
    'I66',
    'topic names: 1–256 of [A-Za-z0-9_-] (.fifo for FIFO); createTopic is idempotent',
    async () => {
      const stem = `mpc-i66-${shortId()}`;
      const longest = `${stem}-${'x'.repeat(256 - stem.length - 1)}`;
      await ctx.broker.createTopic(longest);
      ctx.track('topic', longest);
      await ctx.broker.createTopic(longest);
      const invalid = [`${longest}x`, `${stem}.x`, `${stem} x`, `${stem}/x`, ''];
      for (const name of invalid) {
        await expectError(ctx.broker.createTopic(name), 'InvalidParameter');
        await expectError(() => ctx.broker.topic(name), 'InvalidParameter');
      }
      await expectError(ctx.broker.createTopic(`${stem}-n`, { fifo: true }), 'InvalidParameter');
      await expectError(ctx.broker.createTopic(`${stem}-c`, { contentBasedDeduplication: true }), 'InvalidParameter');
      const expected = [longest];
      if (ctx.caps.fifoTopics) {
        const fifoName = `${stem}-f.fifo`;
        const fifoTopic = await ctx.broker.createTopic(fifoName, { fifo: true });
        ctx.track('topic', fifoName);
        expect(fifoTopic.fifo).toBe(true);
        expected.push(fifoName);
      }
      expect(sorted(await ctx.broker.listTopics(stem))).toEqual(sorted(expected));
    },
    topics,
  );

  defineCase(
    ctx,
    'I67',
    'publish validation happens before anything is delivered; String.Array is a topic attribute type',
    async () => {
      const topic = await newTopic(ctx, 'i67');
      const s = await subscribeQueue(topic, 'envelope', 'i67');
      await expectError(topic.publish(''), 'InvalidParameter');
      await expectError(topic.publish('nul \u0000'), 'InvalidMessageContents');
      await expectError(
        topic.publish('x', { attributes: { k: { dataType: 'Float', stringValue: '1' } } }),
        'InvalidParameter',
      );
      await expectError(topic.publish('x', { attributes: { 'AWS.k': 'v' } }), 'InvalidParameter');
      await expectError(
        topic.publish('x', { attributes: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) }),
        'InvalidParameter',
      );
      await expectError(topic.publish('x', { deduplicationId: 'd' }), 'InvalidParameter');
      await expectError(
        topic.publishBatch([
          { id: 'a', body: 'a' },
          { id: 'a', body: 'b' },
        ]),
        'BatchEntryIdsNotDistinct',
      );
      await expectError(topic.publishBatch([]), 'EmptyBatchRequest');
      await expectNothingEnqueued(ctx, s.queue);
      await topic.publish('arrays', { attributes: { tags: ['a', 'b'] } });
      const m = await receiveOne(ctx, s.reader);
      expect(m.body).toBe('arrays');
      expect(plainAttributes(m.attributes)).toEqual({ tags: { dataType: 'String.Array', stringValue: '["a","b"]' } });
      if (ctx.caps.fifoTopics) {
        const fifoTopic = await newTopic(ctx, 'i67', { fifo: true, contentBasedDeduplication: true });
        await expectError(fifoTopic.publish('no group'), 'InvalidParameter');
      }
    },
    topics,
  );

  defineCase(
    ctx,
    'I68',
    'subscribing the same queue twice with the same options is one subscription: one copy per publish',
    async () => {
      const topic = await newTopic(ctx, 'i68');
      const s = await subscribeQueue(topic, 'envelope', 'i68');
      const again = await topic.subscribe(s.queue.name);
      expect(again.id).toBe(s.subscription.id);
      expect((await topic.listSubscriptions()).map((x) => x.id)).toEqual([s.subscription.id]);
      const body = `i68 ${shortId()}`;
      await topic.publish(body);
      await expectBodies('envelope', s.reader, [body]);
    },
    topics,
  );

  defineCase(
    ctx,
    'I68b',
    'subscribing the same queue again with other options is InvalidParameter, as on SNS; nothing changes',
    async () => {
      const topic = await newTopic(ctx, 'i68b');
      const s = await subscribeQueue(topic, 'envelope', 'i68b');
      await expectError(topic.subscribe(s.queue.name, { rawMessageDelivery: true }), 'InvalidParameter');
      await expectError(topic.subscribe(s.queue.name, { filterPolicy: { k: ['v'] } }), 'InvalidParameter');
      expect((await topic.listSubscriptions()).map((x) => x.id)).toEqual([s.subscription.id]);
      const body = `i68b ${shortId()}`;
      await topic.publish(body);
      await expectBodies('envelope', s.reader, [body]);
    },
    topics,
  );
}
