import {
  binaryCodec,
  type FilterPolicy,
  type FilterPolicyScope,
  type MessageAttributesInput,
  type Queue,
  type ReceivedMessage,
  type SubscribeOptions,
  type Subscription,
  type Topic,
  unwrapSnsEnvelope,
} from '@msgport/core';
import { expect } from 'vitest';
import type { QueueKind, SubscriptionKind } from '../harness.js';
import { at, bytes, plainAttributes, sorted } from '../support/compare.js';
import { type CaseContext, defineCase, type Gate } from '../support/context.js';
import { expectError } from '../support/errors.js';
import { needs, needsFilterScope } from '../support/gates.js';
import { shortId } from '../support/names.js';
import { expectNothingEnqueued, expectQuiet, receiveExactly, receiveOne, receiveUntil } from '../support/receive.js';
import { newQueueOfKind, newTopic, type QueueOptions } from '../support/resources.js';
import { nowMs } from '../support/timing.js';

interface Subscribed<T> {
  /** The subscribed queue as created. */
  readonly queue: Queue<T>;
  /** How the consumer reads it: unwrapping the SNS envelope for envelope subscriptions. */
  readonly reader: Queue<T>;
  readonly subscription: Subscription;
}

const view = (m: ReceivedMessage<string>) => ({ body: m.body, attributes: plainAttributes(m.attributes) });
const byBody = (a: { body: string }, b: { body: string }) => a.body.localeCompare(b.body);

/** I. Topics: fan-out, isolation, fidelity through raw and enveloped delivery, filter policies, FIFO topics. */
export function topicCases(ctx: CaseContext): void {
  const topics = needs(ctx, 'topics');
  const attributeFilters = needsFilterScope(ctx, 'MessageAttributes');
  const kindGates = (kind: SubscriptionKind): Gate[] => [
    topics,
    ...(kind === 'raw' ? [needs(ctx, 'rawDelivery')] : []),
  ];

  async function subscribeQueue<T = string>(
    topic: Topic<T>,
    kind: SubscriptionKind,
    tag: string,
    options: Omit<SubscribeOptions, 'rawMessageDelivery'> = {},
    queueOptions: QueueOptions<T> = {},
    queueKind: QueueKind = 'standard',
  ): Promise<Subscribed<T>> {
    const queue = await newQueueOfKind<T>(ctx, queueKind, tag, queueOptions);
    const subscription = await topic.subscribe(queue.name, { ...options, rawMessageDelivery: kind === 'raw' });
    expect(subscription).toMatchObject({ topic: topic.name, queue: queue.name, rawMessageDelivery: kind === 'raw' });
    const reader =
      kind === 'envelope'
        ? ctx.broker.queue<T>(queue.name, {
            unwrapEnvelopes: true,
            ...(queueOptions.codec ? { codec: queueOptions.codec } : {}),
          })
        : queue;
    return { queue, reader, subscription };
  }

  /** The reader gets exactly `bodies` (as a set), each delivered once: nothing more after a quiet window. */
  async function expectBodies(kind: SubscriptionKind, reader: Queue<string>, bodies: readonly string[]) {
    const got = await receiveExactly(ctx, reader, bodies.length);
    expect(sorted(got.map((m) => m.body)), `bodies in ${reader.name}`).toEqual(sorted(bodies));
    for (const m of got) {
      if (kind === 'envelope') expect(m.snsEnvelope?.Type).toBe('Notification');
      else expect(m.snsEnvelope).toBeUndefined();
      await reader.delete(m);
    }
    await expectQuiet(ctx, reader);
  }

  for (const kind of ctx.subscriptionKinds) {
    const gates = kindGates(kind);

    defineCase(
      ctx,
      'I51',
      `fan-out (${kind}): each subscribed queue gets every publish exactly once, body and attributes intact`,
      async () => {
        const topic = await newTopic(ctx, 'i51');
        const subs = [await subscribeQueue(topic, kind, 'i51-a'), await subscribeQueue(topic, kind, 'i51-b')];
        const published = [0, 1, 2].map((i) => ({ body: `i51-${i} ${shortId()}`, attributes: { i, s: `v${i}` } }));
        for (const p of published)
          expect((await topic.publish(p.body, { attributes: p.attributes })).messageId).toMatch(/\S/);
        const expected = published
          .map((p) => ({
            body: p.body,
            attributes: {
              i: { dataType: 'Number', stringValue: String(p.attributes.i) },
              s: { dataType: 'String', stringValue: p.attributes.s },
            },
          }))
          .sort(byBody);
        for (const s of subs) {
          const got = await receiveExactly(ctx, s.reader, 3);
          expect(got.map(view).sort(byBody)).toEqual(expected);
          for (const m of got) await s.reader.delete(m);
        }
        await Promise.all(subs.map((s) => expectQuiet(ctx, s.reader)));
      },
      ...gates,
    );

    defineCase(
      ctx,
      'I52',
      `no subscribers, no history (${kind}): publishing to nobody succeeds; a new subscriber gets only later messages`,
      async () => {
        const topic = await newTopic(ctx, 'i52');
        expect((await topic.publish(`before ${shortId()}`)).messageId).toMatch(/\S/);
        const s = await subscribeQueue(topic, kind, 'i52');
        const after = `after ${shortId()}`;
        await topic.publish(after);
        await expectBodies(kind, s.reader, [after]);
      },
      ...gates,
    );

    defineCase(
      ctx,
      'I53',
      `unsubscribe isolation (${kind}): an unsubscribed queue gets nothing, the other gets all`,
      async () => {
        const topic = await newTopic(ctx, 'i53');
        const gone = await subscribeQueue(topic, kind, 'i53-gone');
        const kept = await subscribeQueue(topic, kind, 'i53-kept');
        await gone.subscription.unsubscribe();
        expect((await topic.listSubscriptions()).map((s) => s.id)).toEqual([kept.subscription.id]);
        const bodies = Array.from({ length: 5 }, (_, i) => `i53-${i} ${shortId()}`);
        for (const body of bodies) await topic.publish(body);
        await expectBodies(kind, kept.reader, bodies);
        await expectNothingEnqueued(ctx, gone.queue);
      },
      ...gates,
    );

    defineCase(
      ctx,
      'I54',
      `fidelity (${kind}): binary body and typed, unicode attributes arrive identical`,
      async () => {
        const topic = await newTopic<Uint8Array>(ctx, 'i54', { codec: binaryCodec });
        const s = await subscribeQueue<Uint8Array>(topic, kind, 'i54', {}, { codec: binaryCodec });
        const body = bytes(256);
        const attributes: MessageAttributesInput = {
          text: 'ɤϡ֎ᾣ♥ 😍 <&> "q" \\',
          edge: '\uE000\u{10FFFF}\t',
          num: 10.5,
          big: { dataType: 'Number', stringValue: '-1.5e3' },
          blob: bytes(16, 200),
        };
        await topic.publish(body, { attributes });
        const m = await receiveOne(ctx, s.reader);
        expect([...m.body]).toEqual([...body]);
        expect(plainAttributes(m.attributes)).toEqual({
          text: { dataType: 'String', stringValue: 'ɤϡ֎ᾣ♥ 😍 <&> "q" \\' },
          edge: { dataType: 'String', stringValue: '\uE000\u{10FFFF}\t' },
          num: { dataType: 'Number', stringValue: '10.5' },
          big: { dataType: 'Number', stringValue: '-1.5e3' },
          blob: { dataType: 'Binary', binaryValue: [...bytes(16, 200)] },
        });
      },
      ...gates,
    );

    defineCase(
      ctx,
      'I55',
      `filter exact match (${kind}): {key:[foo]} gets foo, {key:[bar]} gets bar, unfiltered gets all`,
      async () => {
        const topic = await newTopic(ctx, 'i55');
        const foo = await subscribeQueue(topic, kind, 'i55-foo', { filterPolicy: { key: ['foo'] } });
        const bar = await subscribeQueue(topic, kind, 'i55-bar', { filterPolicy: { key: ['bar'] } });
        const all = await subscribeQueue(topic, kind, 'i55-all');
        await topic.publish('foo', { attributes: { key: 'foo' } });
        await topic.publish('bar', { attributes: { key: 'bar' } });
        await topic.publish('none');
        await Promise.all([
          expectBodies(kind, foo.reader, ['foo']),
          expectBodies(kind, bar.reader, ['bar']),
          expectBodies(kind, all.reader, ['foo', 'bar', 'none']),
        ]);
      },
      ...gates,
      attributeFilters,
    );

    defineCase(
      ctx,
      'I56a',
      `filter string operators (${kind}): prefix, suffix, equals-ignore-case, wildcard, anything-but forms, OR`,
      async () => {
        const topic = await newTopic(ctx, 'i56a');
        const policies: Record<string, FilterPolicy> = {
          prefix: { k: [{ prefix: 'ab' }] },
          suffix: { k: [{ suffix: 'yz' }] },
          ignoreCase: { k: [{ 'equals-ignore-case': 'HeLLo' }] },
          wildcard: { k: [{ wildcard: 'a*z' }] },
          anythingBut: { k: [{ 'anything-but': ['abc', 'hello'] }] },
          anythingButPrefix: { k: [{ 'anything-but': { prefix: 'ab' } }] },
          anythingButSuffix: { k: [{ 'anything-but': { suffix: 'yz' } }] },
          anythingButWildcard: { k: [{ 'anything-but': { wildcard: 'h*o' } }] },
          or: { k: ['abc', 'xyz'] },
        };
        const subs = Object.fromEntries(
          await Promise.all(
            Object.entries(policies).map(
              async ([name, filterPolicy]) =>
                [name, await subscribeQueue(topic, kind, `i56a-${name}`, { filterPolicy })] as const,
            ),
          ),
        );
        const messages: Array<[string, MessageAttributesInput]> = [
          ['m1', { k: 'abc' }],
          ['m2', { k: 'abxyz' }],
          ['m3', { k: 'hello' }],
          ['m4', { k: 'xyz' }],
          ['m5', { other: '1' }],
          ['m6', { k: 'HELLO' }],
        ];
        for (const [body, attributes] of messages) await topic.publish(body, { attributes });
        const expected: Record<string, string[]> = {
          prefix: ['m1', 'm2'],
          suffix: ['m2', 'm4'],
          ignoreCase: ['m3', 'm6'],
          wildcard: ['m2'],
          anythingBut: ['m2', 'm4', 'm6'],
          anythingButPrefix: ['m3', 'm4', 'm6'],
          anythingButSuffix: ['m1', 'm3', 'm6'],
          anythingButWildcard: ['m1', 'm2', 'm4', 'm6'],
          or: ['m1', 'm4'],
        };
        await Promise.all(
          Object.entries(expected).map(([name, bodies]) => {
            const s = subs[name];
            if (!s) throw new Error(`no subscription ${name}`);
            return expectBodies(kind, s.reader, bodies);
          }),
        );
      },
      ...gates,
      attributeFilters,
    );

    defineCase(
      ctx,
      'I56b',
      `filter numeric/exists/AND/$or/cidr (v4, v6)/String.Array (${kind}); a missing key matches only exists:false`,
      async () => {
        const topic = await newTopic(ctx, 'i56b');
        const policies: Record<string, FilterPolicy> = {
          range: { n: [{ numeric: ['>=', 10, '<', 20] }] },
          equals: { n: [{ numeric: ['=', 5] }] },
          exact: { n: [15] },
          exists: { k: [{ exists: true }] },
          missing: { k: [{ exists: false }] },
          and: { k: ['a'], n: [{ numeric: ['=', 5] }] },
          or: { $or: [{ k: ['b'] }, { n: [{ numeric: ['>', 100] }] }] },
          cidr: { ip: [{ cidr: '10.0.0.0/24' }] },
          cidr6: { ip: [{ cidr: '2001:db8::/32' }] },
          array: { tags: ['red'] },
        };
        const subs = Object.fromEntries(
          await Promise.all(
            Object.entries(policies).map(
              async ([name, filterPolicy]) =>
                [name, await subscribeQueue(topic, kind, `i56b-${name}`, { filterPolicy })] as const,
            ),
          ),
        );
        const messages: Array<[string, MessageAttributesInput]> = [
          ['m1', { k: 'a', n: 5, ip: '10.0.0.7', tags: ['red', 'blue'] }],
          ['m2', { k: 'b', n: 15, ip: '2001:db8::1' }],
          ['m3', { n: 150 }],
          ['m4', { k: 'a', n: 10, ip: '10.0.1.1', tags: ['green'] }],
          ['m5', { n: 20, ip: '192.168.0.1' }],
          ['m6', { k: 'c', n: { dataType: 'Number', stringValue: '5.0' }, tags: ['blue', 'red'] }],
        ];
        for (const [body, attributes] of messages) await topic.publish(body, { attributes });
        const expected: Record<string, string[]> = {
          range: ['m2', 'm4'],
          equals: ['m1', 'm6'],
          exact: ['m2'],
          exists: ['m1', 'm2', 'm4', 'm6'],
          missing: ['m3', 'm5'],
          and: ['m1'],
          or: ['m2', 'm3'],
          cidr: ['m1'],
          cidr6: ['m2'],
          array: ['m1', 'm6'],
        };
        await Promise.all(
          Object.entries(expected).map(([name, bodies]) => {
            const s = subs[name];
            if (!s) throw new Error(`no subscription ${name}`);
            return expectBodies(kind, s.reader, bodies);
          }),
        );
      },
      ...gates,
      attributeFilters,
    );

    defineCase(
      ctx,
      'I57',
      `body filter (${kind}): nested keys and arrays match; other values and non-JSON bodies never do`,
      async () => {
        const topic = await newTopic(ctx, 'i57');
        const s = await subscribeQueue(topic, kind, 'i57', {
          filterPolicy: { order: { type: ['paid'] } },
          filterPolicyScope: 'MessageBody',
        });
        const bodies = [
          '{"order":{"type":"paid"}}',
          '{"order":{"type":"new"}}',
          'order paid (not JSON)',
          '{"order":{"type":["new","paid"]}}',
          '{"order":{"type":"paid","total":3},"x":1}',
          '{"type":"paid"}',
        ];
        for (const body of bodies) await topic.publish(body, { attributes: { order: 'paid' } });
        await expectBodies(kind, s.reader, [at(bodies, 0), at(bodies, 3), at(bodies, 4)]);
      },
      ...gates,
      needsFilterScope(ctx, 'MessageBody'),
    );

    defineCase(
      ctx,
      'I58',
      `filtered is not failed (${kind}): a filtered-out message never reaches the queue or its DLQ`,
      async () => {
        const topic = await newTopic(ctx, 'i58');
        const dlq = await newQueueOfKind(ctx, 'standard', 'i58-dlq');
        const s = await subscribeQueue(
          topic,
          kind,
          'i58',
          { filterPolicy: { k: ['yes'] } },
          { deadLetter: { queue: dlq.name, maxReceiveCount: 1 } },
        );
        await topic.publish('no', { attributes: { k: 'no' } });
        await topic.publish('yes', { attributes: { k: 'yes' } });
        await expectBodies(kind, s.reader, ['yes']);
        await expectNothingEnqueued(ctx, dlq);
      },
      ...gates,
      attributeFilters,
      needs(ctx, 'deadLetter'),
    );

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

    defineCase(
      ctx,
      'I60',
      `publishBatch (${kind}): any size, per-entry results in input order, a bad entry fails alone`,
      async () => {
        const topic = await newTopic(ctx, 'i60');
        const subs = [await subscribeQueue(topic, kind, 'i60-a'), await subscribeQueue(topic, kind, 'i60-b')];
        const good = Array.from({ length: ctx.caps.maxBatchSize + 2 }, (_, i) => ({
          id: `p${i}`,
          body: `i60-${i} ${shortId()}`,
          attributes: { i },
        }));
        const entries = [...good.slice(0, 4), { id: 'bad', body: 'nul \u0000' }, ...good.slice(4)];
        const result = await topic.publishBatch(entries);
        expect(result.successful.map((s) => s.id)).toEqual(good.map((e) => e.id));
        expect(new Set(result.successful.map((s) => s.messageId)).size).toBe(good.length);
        expect(result.failed.map((f) => [f.id, f.code, f.senderFault])).toEqual([
          ['bad', 'InvalidMessageContents', true],
        ]);
        await Promise.all(
          subs.map((s) =>
            expectBodies(
              kind,
              s.reader,
              good.map((e) => e.body),
            ),
          ),
        );
      },
      ...gates,
    );
  }

  defineCase(
    ctx,
    'I61',
    'SNS envelope fields: Type, MessageId, TopicArn, Message, Timestamp, Subject, MessageAttributes',
    async () => {
      const topic = await newTopic(ctx, 'i61');
      const queue = await newQueueOfKind(ctx, 'standard', 'i61');
      await topic.subscribe(queue.name);
      const slack = ctx.granularityMs + (ctx.clock ? 0 : 1000);
      const before = nowMs(ctx);
      const withAll = await topic.publish('i61 with subject', {
        subject: 'Hello subject',
        attributes: { s: 'str', n: 5, b: Uint8Array.of(1, 2, 3) },
      });
      const plain = await topic.publish('i61 plain');
      const after = nowMs(ctx);
      const got = await receiveExactly(ctx, queue, 2);
      const envelopes = new Map(got.map((m) => [JSON.parse(m.rawBody).Message as string, m]));
      for (const m of got) expect(m.attributes).toEqual({});
      const first = envelopes.get('i61 with subject');
      const second = envelopes.get('i61 plain');
      if (!first || !second) throw new Error('envelopes missing');
      const e1 = JSON.parse(first.rawBody) as Record<string, unknown>;
      const e2 = JSON.parse(second.rawBody) as Record<string, unknown>;
      expect(e1).toMatchObject({
        Type: 'Notification',
        MessageId: withAll.messageId,
        Message: 'i61 with subject',
        Subject: 'Hello subject',
        MessageAttributes: {
          s: { Type: 'String', Value: 'str' },
          n: { Type: 'Number', Value: '5' },
          b: { Type: 'Binary', Value: 'AQID' },
        },
      });
      expect(e2).toMatchObject({ Type: 'Notification', MessageId: plain.messageId, Message: 'i61 plain' });
      expect(e2.Subject).toBeUndefined();
      expect(Object.keys((e2.MessageAttributes as object | undefined) ?? {})).toEqual([]);
      for (const envelope of [e1, e2]) {
        expect(String(envelope.TopicArn)).toMatch(new RegExp(`:${topic.name}$`));
        const timestamp = String(envelope.Timestamp);
        expect(timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
        expect(Date.parse(timestamp)).toBeGreaterThanOrEqual(before - slack);
        expect(Date.parse(timestamp)).toBeLessThanOrEqual(after + slack);
      }
      const unwrapped = unwrapSnsEnvelope(first.rawBody);
      expect(unwrapped?.body).toBe('i61 with subject');
      expect(plainAttributes(unwrapped?.attributes ?? {})).toEqual({
        s: { dataType: 'String', stringValue: 'str' },
        n: { dataType: 'Number', stringValue: '5' },
        b: { dataType: 'Binary', binaryValue: [1, 2, 3] },
      });
    },
    topics,
  );

  defineCase(
    ctx,
    'I62',
    'an invalid filter policy is InvalidParameter at subscribe and creates no subscription',
    async () => {
      const topic = await newTopic(ctx, 'i62');
      const queue = await newQueueOfKind(ctx, 'standard', 'i62');
      const invalid: Array<[unknown, FilterPolicyScope?]> = [
        [{ k: 'a' }],
        [{}],
        [{ k: [] }],
        [{ a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] }],
        [{ a: Array.from({ length: 10 }, (_, i) => `a${i}`), b: Array.from({ length: 16 }, (_, i) => `b${i}`) }],
        [{ k: [{ unknown: 1 }] }],
        [{ k: { nested: ['x'] } }],
        [{ k: [{ numeric: ['>', 'x'] }] }],
        [{ k: [{ wildcard: 'a*b*c*d*e' }] }],
        [{ k: [{ prefix: 5 }] }],
        [{ k: [{ cidr: '10.0.0.0/33' }] }],
        [{ k: [{ exists: 'yes' }] }],
        [['k']],
        [{ k: ['a'] }, 'Body' as FilterPolicyScope],
      ];
      for (const [filterPolicy, filterPolicyScope] of invalid) {
        await expectError(
          topic.subscribe(queue.name, {
            filterPolicy: filterPolicy as FilterPolicy,
            ...(filterPolicyScope ? { filterPolicyScope } : {}),
          }),
          'InvalidParameter',
        );
      }
      expect(await topic.listSubscriptions()).toEqual([]);
      await topic.publish(`i62 ${shortId()}`);
      await expectNothingEnqueued(ctx, queue);
    },
    topics,
  );

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
      await expectError(topic.publishBatch([]), 'InvalidParameter');
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
