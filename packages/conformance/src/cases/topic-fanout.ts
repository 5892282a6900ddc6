import { binaryCodec, type MessageAttributesInput, unwrapSnsEnvelope } from '@msgport/core';
import { expect } from 'vitest';
import { bytes, plainAttributes } from '../support/compare.js';
import { type CaseContext, defineCase } from '../support/context.js';
import { shortId } from '../support/names.js';
import { expectNothingEnqueued, expectQuiet, receiveExactly, receiveOne } from '../support/receive.js';
import { newQueueOfKind, newTopic } from '../support/resources.js';
import { nowMs } from '../support/timing.js';
import { byBody, topicHelpers, view } from '../support/topics.js';

/** I. Topics: fan-out to every subscription, no history, unsubscribe, fidelity, batches, the SNS envelope. */
export function topicFanOutCases(ctx: CaseContext): void {
  const { topics, kindGates, subscribeQueue, expectBodies } = topicHelpers(ctx);

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
}
