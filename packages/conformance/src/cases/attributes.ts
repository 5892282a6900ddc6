import { createHash } from 'node:crypto';
import type { MessageAttributesInput, MessageAttributeValue } from '@msgport/core';
import { expect } from 'vitest';
import { bytes, plainAttributes } from '../support/compare.js';
import { type CaseContext, defineCase } from '../support/context.js';
import { expectError } from '../support/errors.js';
import { needs } from '../support/gates.js';
import { uniqueBody } from '../support/names.js';
import { expectNothingEnqueued, receiveOne } from '../support/receive.js';
import { newQueue, newQueueOfKind, sendOptions } from '../support/resources.js';
import { nowMs, Timeline } from '../support/timing.js';
import { receiveVisibleBy } from '../support/windows.js';

const str = (stringValue: string, dataType = 'String') => ({ dataType, stringValue });

/** B. Attributes: round-trips, typed values, every SQS attribute rule, system fields. */
export function attributeCases(ctx: CaseContext): void {
  defineCase(ctx, 'B8', 'weird-string attribute values and edge names round-trip exactly', async () => {
    const q = await newQueue(ctx, 'b8');
    const values: Record<string, string> = {
      s1: 'spaces  inside ',
      s2: ' leading',
      s3: 'tab\there',
      s4: 'line\nbreak\r\nand cr\r',
      s5: '<tag attr="x">&amp;</tag> ]]>',
      s6: '{"json": [1, 2]}',
      s7: `quote ' and " and \\`,
      s8: '\uE000\uFFFD\u{10000}\u{10FFFF}',
      s9: '=?utf-8?b?ZQ==?= %20 +',
      s10: 'x'.repeat(1000),
    };
    const names: Record<string, string> = {
      'a-b_c.d': '1',
      ['N'.repeat(256)]: '2',
      AWSx: '3',
      'x.AWS.y': '4',
      Amazonia: '5',
      _under: '6',
      '-dash': '7',
      'Case.Sensitive': '8',
      'case.sensitive': '9',
      'trailing-': '10',
    };
    for (const attributes of [values, names]) {
      const body = uniqueBody('b8');
      await q.send(body, sendOptions(q, { attributes }));
      const m = await receiveOne(ctx, q);
      expect(m.body).toBe(body);
      expect(plainAttributes(m.attributes)).toEqual(
        Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, str(value)])),
      );
      await q.delete(m);
    }
  });

  defineCase(ctx, 'B9', 'unicode attribute values round-trip; non-ASCII names are InvalidParameter', async () => {
    const q = await newQueue(ctx, 'b9');
    const attributes = { u1: 'ɤϡ֎ᾣ♥', u2: '😍', u3: '😅 and 中文', u4: 'Ünïcödé' };
    const body = uniqueBody('b9');
    await q.send(body, sendOptions(q, { attributes }));
    const m = await receiveOne(ctx, q);
    expect(plainAttributes(m.attributes)).toEqual({
      u1: str('ɤϡ֎ᾣ♥'),
      u2: str('😍'),
      u3: str('😅 and 中文'),
      u4: str('Ünïcödé'),
    });
    await q.delete(m);
    await expectError(q.send(uniqueBody('b9'), sendOptions(q, { attributes: { ünicode: 'x' } })), 'InvalidParameter');
    await expectError(q.send(uniqueBody('b9'), sendOptions(q, { attributes: { '😍': 'x' } })), 'InvalidParameter');
    await expectNothingEnqueued(ctx, q);
  });

  defineCase(
    ctx,
    'B10a',
    'at most 10 attributes: 10 round-trip, 11 is InvalidParameter and enqueues nothing',
    async () => {
      const q = await newQueue(ctx, 'b10a');
      const make = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, `v${i}`]));
      await q.send(uniqueBody('b10a'), sendOptions(q, { attributes: make(10) }));
      const m = await receiveOne(ctx, q);
      expect(Object.keys(m.attributes).length).toBe(10);
      await q.delete(m);
      await expectError(q.send(uniqueBody('b10a'), sendOptions(q, { attributes: make(11) })), 'InvalidParameter');
      await expectNothingEnqueued(ctx, q);
    },
  );

  defineCase(
    ctx,
    'B10b',
    'attribute name rules (charset, AWS./Amazon. prefix, dots, length) → InvalidParameter',
    async () => {
      const q = await newQueue(ctx, 'b10b');
      const invalid = [
        'AWS.trace',
        'aws.trace',
        'Amazon.x',
        'AMAZON.y',
        '.lead',
        'trail.',
        'a..b',
        'a b',
        'a/b',
        'a:b',
        'n'.repeat(257),
        '',
      ];
      for (const name of invalid) {
        await expectError(
          q.send(uniqueBody('b10b'), sendOptions(q, { attributes: { [name]: 'v' } })),
          'InvalidParameter',
        );
      }
      await expectNothingEnqueued(ctx, q);
    },
  );

  defineCase(
    ctx,
    'B10c',
    'attribute value and type rules: empty, non-numeric, unknown types → rejected; nothing enqueued',
    async () => {
      const q = await newQueue(ctx, 'b10c');
      const invalid: Array<[MessageAttributesInput, 'InvalidParameter' | 'InvalidMessageContents']> = [
        [{ k: '' }, 'InvalidParameter'],
        [{ k: str('') }, 'InvalidParameter'],
        [{ k: new Uint8Array(0) }, 'InvalidParameter'],
        [{ k: { dataType: 'Binary', binaryValue: new Uint8Array(0) } }, 'InvalidParameter'],
        [{ k: { dataType: 'Binary', stringValue: 'abc' } }, 'InvalidParameter'],
        [{ k: str('abc', 'Number') }, 'InvalidParameter'],
        [{ k: str('12abc', 'Number') }, 'InvalidParameter'],
        [{ k: Number.NaN }, 'InvalidParameter'],
        [{ k: Number.POSITIVE_INFINITY }, 'InvalidParameter'],
        [{ k: str('1', 'Float') }, 'InvalidParameter'],
        [{ k: str('x', 'Stringy') }, 'InvalidParameter'],
        [{ k: str('x', '') }, 'InvalidParameter'],
        [{ k: str('x', `String.${'l'.repeat(250)}`) }, 'InvalidParameter'],
        [{ k: 'a\u0000b' }, 'InvalidMessageContents'],
        [{ k: 'bad\uFFFF' }, 'InvalidMessageContents'],
      ];
      for (const [attributes, code] of invalid) {
        await expectError(q.send(uniqueBody('b10c'), sendOptions(q, { attributes })), code);
      }
      await expectNothingEnqueued(ctx, q);
    },
  );

  defineCase(
    ctx,
    'B11a',
    'typed attributes: Number stays Number (exact text), Binary keeps its bytes, String stays String',
    async () => {
      const q = await newQueue(ctx, 'b11a');
      const blob = bytes(256);
      await q.send(
        uniqueBody('b11a'),
        sendOptions(q, {
          attributes: {
            price: 10.5,
            neg: -42,
            zero: 0,
            big: str('12345678901234567890.5', 'Number'),
            exp: str('-1.5e3', 'Number'),
            blob: Uint8Array.of(0, 255, 1, 254),
            blob2: { dataType: 'Binary', binaryValue: blob },
            text: 'plain',
            numeric: str('42'),
          },
        }),
      );
      const m = await receiveOne(ctx, q);
      expect(plainAttributes(m.attributes)).toEqual({
        price: str('10.5', 'Number'),
        neg: str('-42', 'Number'),
        zero: str('0', 'Number'),
        big: str('12345678901234567890.5', 'Number'),
        exp: str('-1.5e3', 'Number'),
        blob: { dataType: 'Binary', binaryValue: [0, 255, 1, 254] },
        blob2: { dataType: 'Binary', binaryValue: [...blob] },
        text: str('plain'),
        numeric: str('42'),
      });
      expect(m.attributes.blob?.binaryValue).toBeInstanceOf(Uint8Array);
    },
  );

  defineCase(
    ctx,
    'B11b',
    'custom type labels (String.x, Number.x, Binary.x) round-trip with their full data type',
    async () => {
      const q = await newQueue(ctx, 'b11b');
      await q.send(
        uniqueBody('b11b'),
        sendOptions(q, {
          attributes: {
            a: str('x', 'String.custom-label'),
            b: str('7', 'Number.int'),
            c: { dataType: 'Binary.gif', binaryValue: Uint8Array.of(71, 73, 70) },
            d: ['x', 'y'], // on a queue String.Array is a String with the label "Array", as on SQS
          },
        }),
      );
      const m = await receiveOne(ctx, q);
      expect(plainAttributes(m.attributes)).toEqual({
        a: str('x', 'String.custom-label'),
        b: str('7', 'Number.int'),
        c: { dataType: 'Binary.gif', binaryValue: [71, 73, 70] },
        d: str('["x","y"]', 'String.Array'),
      });
    },
  );

  defineCase(
    ctx,
    'B12',
    'received fields across redelivery: same messageId, new receiptHandle, receiveCount 1→2, timestamps',
    async () => {
      const q = await newQueue(ctx, 'b12');
      const slack = ctx.granularityMs + (ctx.clock ? 0 : 1000);
      const group = `g-b12`;
      const before = nowMs(ctx);
      const sent = await q.send(uniqueBody('b12'), sendOptions(q, {}, group));
      const after = nowMs(ctx);
      const first = await receiveOne(ctx, q, { visibilityTimeoutSeconds: 2 });
      const timeline = new Timeline(ctx);
      expect(first.messageId).toBe(sent.messageId);
      expect(first.receiveCount).toBe(1);
      expect(first.sentTimestamp).toBeGreaterThanOrEqual(before - slack);
      expect(first.sentTimestamp).toBeLessThanOrEqual(after + slack);
      expect(first.firstReceiveTimestamp).toBeGreaterThanOrEqual(first.sentTimestamp - slack);
      expect(first.firstReceiveTimestamp).toBeLessThanOrEqual(nowMs(ctx) + slack);
      const [second] = await receiveVisibleBy(ctx, q, timeline, 2);
      if (!second) return;
      expect(second.messageId).toBe(sent.messageId);
      expect(second.receiptHandle).not.toBe(first.receiptHandle);
      expect(second.receiveCount).toBe(2);
      expect(second.sentTimestamp).toBe(first.sentTimestamp);
      expect(second.firstReceiveTimestamp).toBe(first.firstReceiveTimestamp);
      if (q.fifo) {
        expect(second.groupId).toBe(group);
        expect(second.sequenceNumber).toBe(sent.sequenceNumber);
        expect(second.deduplicationId).toMatch(/\S/);
      } else {
        expect([second.groupId, second.deduplicationId, second.sequenceNumber]).toEqual([
          undefined,
          undefined,
          undefined,
        ]);
      }
    },
    needs(ctx, 'changeVisibility'),
  );

  defineCase(
    ctx,
    'B13',
    'attribute objects are not shared: mutating sent or received attributes changes no stored message',
    async () => {
      const q = await newQueue(ctx, 'b13', { visibilityTimeoutSeconds: 30 });
      const blob = Uint8Array.of(1, 2, 3);
      const attributes: Record<string, MessageAttributeValue | string | Uint8Array> = { tag: 'original', blob };
      await q.send(uniqueBody('b13'), sendOptions(q, { attributes }));
      blob[0] = 99; // the sender reuses its buffer after send
      attributes.tag = 'changed by sender';
      const original = { tag: str('original'), blob: { dataType: 'Binary', binaryValue: [1, 2, 3] } };
      const first = await receiveOne(ctx, q);
      const afterSend = plainAttributes(first.attributes);
      // A handler scribbles on what it received (a frozen object that refuses is fine too).
      try {
        (first.attributes as Record<string, MessageAttributeValue>).tag = str('modified');
      } catch {}
      try {
        const received = first.attributes.blob?.binaryValue;
        if (received) received[1] = 77;
      } catch {}
      await q.changeVisibility(first, 0);
      const second = await receiveOne(ctx, q);
      expect(second.messageId).toBe(first.messageId);
      expect({
        'after the sender reused its objects': afterSend,
        'after a handler changed what it received': plainAttributes(second.attributes),
      }).toEqual({
        'after the sender reused its objects': original,
        'after a handler changed what it received': original,
      });
    },
  );

  defineCase(
    ctx,
    'B14',
    'FIFO-only fields: groupId, deduplicationId and sequenceNumber only on FIFO deliveries',
    async () => {
      const standard = await newQueueOfKind(ctx, 'standard', 'b14-std');
      const fifo = await newQueueOfKind(ctx, 'fifo', 'b14-fifo');
      const body = uniqueBody('b14');
      const standardSent = await standard.send(body);
      expect(standardSent.sequenceNumber).toBeUndefined();
      const fifoSent = await fifo.send(body, { groupId: 'G1', deduplicationId: 'D1' });
      expect(fifoSent.sequenceNumber).toMatch(/^\d+$/);
      const s = await receiveOne(ctx, standard);
      expect([s.groupId, s.deduplicationId, s.sequenceNumber]).toEqual([undefined, undefined, undefined]);
      const f = await receiveOne(ctx, fifo);
      expect(f.body).toBe(body);
      expect(f.groupId).toBe('G1');
      expect(f.deduplicationId).toBe('D1');
      expect(f.sequenceNumber).toBe(fifoSent.sequenceNumber);
      // Content-based deduplication reports the SHA-256 of the body as the deduplication id.
      const content = await newQueueOfKind(ctx, 'fifo', 'b14-cbd', { contentBasedDeduplication: true });
      await content.send(body, { groupId: 'G1' });
      const c = await receiveOne(ctx, content);
      expect(c.deduplicationId).toBe(createHash('sha256').update(body, 'utf8').digest('hex'));
    },
    needs(ctx, 'fifo'),
  );
}
