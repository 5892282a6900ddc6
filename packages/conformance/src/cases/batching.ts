import type { SendBatchEntry } from '@msgport/core';
import { expect } from 'vitest';
import { sorted } from '../support/compare.js';
import { type CaseContext, defineCase } from '../support/context.js';
import { expectError } from '../support/errors.js';
import { needs } from '../support/gates.js';
import { shortId, uniqueBody } from '../support/names.js';
import { expectNone, expectNothingEnqueued, expectQuiet, receiveExactly, receiveOne } from '../support/receive.js';
import { newQueue, sendOptions } from '../support/resources.js';
import { pass } from '../support/timing.js';

/** C. Batching: any size, per-entry results in input order, failures isolated, whole-request id checks. */
export function batchingCases(ctx: CaseContext): void {
  const entries = (q: { fifo: boolean }, ids: readonly string[], label: string): SendBatchEntry<string>[] =>
    ids.map((id) => ({ id, body: uniqueBody(`${label}-${id}`), ...sendOptions(q) }));

  defineCase(ctx, 'C15', 'sendBatch of maxBatchSize: one success per entry in input order; all delivered', async () => {
    const q = await newQueue(ctx, 'c15');
    const batch = entries(
      q,
      Array.from({ length: ctx.caps.maxBatchSize }, (_, i) => `e${i}`),
      'c15',
    );
    const result = await q.sendBatch(batch);
    expect(result.failed).toEqual([]);
    expect(result.successful.map((s) => s.id)).toEqual(batch.map((e) => e.id));
    const ids = result.successful.map((s) => s.messageId);
    expect(new Set(ids).size).toBe(batch.length);
    const got = await receiveExactly(ctx, q, batch.length);
    const bodyById = new Map(got.map((m) => [m.messageId, m.body]));
    for (const [i, s] of result.successful.entries()) expect(bodyById.get(s.messageId)).toBe(batch[i]?.body);
  });

  defineCase(ctx, 'C16a', 'batches of any size are chunked: 2×max+1 entries all succeed in input order', async () => {
    const q = await newQueue(ctx, 'c16a');
    const count = 2 * ctx.caps.maxBatchSize + 1;
    // Ids deliberately not in sorted order: results follow the input, not the id.
    const ids = Array.from({ length: count }, (_, i) => `id-${(i * 5) % count}`);
    const result = await q.sendBatch(entries(q, ids, 'c16a'));
    expect(result.failed).toEqual([]);
    expect(result.successful.map((s) => s.id)).toEqual(ids);
    const got = await receiveExactly(ctx, q, count);
    expect(sorted(got.map((m) => m.messageId))).toEqual(sorted(result.successful.map((s) => s.messageId)));
  });

  defineCase(
    ctx,
    'C16b',
    'batches are chunked by total size too: 3 × 700 bytes on a 1,024-byte queue all succeed',
    async () => {
      const q = await newQueue(ctx, 'c16b', { maxMessageBytes: 1024 });
      const batch = ['a', 'b', 'c'].map((id) => ({
        id,
        body: `${shortId()}${'x'.repeat(690)}`,
        ...sendOptions(q),
      }));
      const result = await q.sendBatch(batch);
      expect(result.failed).toEqual([]);
      expect(result.successful.map((s) => s.id)).toEqual(['a', 'b', 'c']);
      await receiveExactly(ctx, q, 3);
    },
  );

  defineCase(
    ctx,
    'C17a',
    'one oversized entry fails alone with MessageTooLong; the other four are delivered',
    async () => {
      const q = await newQueue(ctx, 'c17a', { maxMessageBytes: 1024 });
      const batch = entries(q, ['e1', 'e2', 'e3', 'e4', 'e5'], 'c17a').map((e) =>
        e.id === 'e3' ? { ...e, body: 'x'.repeat(1025) } : e,
      );
      const result = await q.sendBatch(batch);
      expect(result.successful.map((s) => s.id)).toEqual(['e1', 'e2', 'e4', 'e5']);
      expect(result.failed).toHaveLength(1);
      expect(result.failed[0]).toMatchObject({ id: 'e3', code: 'MessageTooLong', senderFault: true });
      expect(result.failed[0]?.message).toMatch(/\S/);
      const got = await receiveExactly(ctx, q, 4);
      expect(sorted(got.map((m) => m.body))).toEqual(sorted(batch.filter((e) => e.id !== 'e3').map((e) => e.body)));
      for (const m of got) await q.delete(m);
      await expectQuiet(ctx, q);
    },
  );

  defineCase(ctx, 'C17b', 'several bad entries each fail alone with their own code, in input order', async () => {
    const q = await newQueue(ctx, 'c17b');
    const good = entries(q, ['ok1', 'ok2'], 'c17b');
    const [ok1, ok2] = good as [SendBatchEntry<string>, SendBatchEntry<string>];
    const batch: SendBatchEntry<string>[] = [
      ok1,
      { id: 'badChars', body: 'nul \u0000', ...sendOptions(q) },
      { id: 'badAttr', body: uniqueBody('c17b'), ...sendOptions(q, { attributes: { 'AWS.x': 'v' } }) },
      { id: 'empty', body: '', ...sendOptions(q) },
      ok2,
      { id: 'badDelay', body: uniqueBody('c17b'), ...sendOptions(q, { delaySeconds: q.fifo ? 1 : 901 }) },
    ];
    const result = await q.sendBatch(batch);
    expect(result.successful.map((s) => s.id)).toEqual(['ok1', 'ok2']);
    expect(result.failed.map((f) => [f.id, f.code, f.senderFault])).toEqual([
      ['badChars', 'InvalidMessageContents', true],
      ['badAttr', 'InvalidParameter', true],
      ['empty', 'InvalidParameter', true],
      ['badDelay', 'InvalidParameter', true],
    ]);
    const got = await receiveExactly(ctx, q, 2);
    expect(sorted(got.map((m) => m.body))).toEqual(sorted([ok1.body, ok2.body]));
    for (const m of got) await q.delete(m);
    await expectNothingEnqueued(ctx, q);
  });

  defineCase(
    ctx,
    'C17c',
    'duplicate entry ids → BatchEntryIdsNotDistinct and nothing is sent, even across chunks',
    async () => {
      const q = await newQueue(ctx, 'c17c');
      await expectError(q.sendBatch(entries(q, ['a', 'b', 'a'], 'c17c')), 'BatchEntryIdsNotDistinct');
      const many = Array.from({ length: 15 }, (_, i) => `e${i}`);
      many[14] = 'e2'; // the duplicate sits in the second chunk
      await expectError(q.sendBatch(entries(q, many, 'c17c')), 'BatchEntryIdsNotDistinct');
      await expectNothingEnqueued(ctx, q);
    },
  );

  defineCase(
    ctx,
    'C17d',
    'entry ids must be 1–80 of [A-Za-z0-9_-]: bad ids reject the request (InvalidBatchEntryId), nothing sent',
    async () => {
      const q = await newQueue(ctx, 'c17d');
      for (const bad of ['', 'a b', 'a.b', 'é', 'x'.repeat(81)]) {
        await expectError(q.sendBatch(entries(q, ['fine', bad], 'c17d')), 'InvalidBatchEntryId');
      }
      await expectNothingEnqueued(ctx, q);
      const longest = `A-z_0${'9'.repeat(75)}`;
      const result = await q.sendBatch(entries(q, [longest], 'c17d'));
      expect(result.successful.map((s) => s.id)).toEqual([longest]);
      await receiveOne(ctx, q);
    },
  );

  defineCase(ctx, 'C17e', 'an empty batch is EmptyBatchRequest for send, delete and changeVisibility', async () => {
    const q = await newQueue(ctx, 'c17e');
    await expectError(q.sendBatch([]), 'EmptyBatchRequest');
    await expectError(q.deleteBatch([]), 'EmptyBatchRequest');
    await expectError(q.changeVisibilityBatch([]), 'EmptyBatchRequest');
  });

  defineCase(ctx, 'C18a', 'deleteBatch of 12 received messages: all succeed in order; none ever returns', async () => {
    const q = await newQueue(ctx, 'c18a');
    await q.sendBatch(
      entries(
        q,
        Array.from({ length: 12 }, (_, i) => `e${i}`),
        'c18a',
      ),
    );
    const got = await receiveExactly(ctx, q, 12, { visibilityTimeoutSeconds: 2 });
    const receipts = got.map((m, i) => ({ id: `d${i}`, receiptHandle: m.receiptHandle }));
    const result = await q.deleteBatch(receipts);
    expect(result.failed).toEqual([]);
    expect(result.successful.map((s) => s.id)).toEqual(receipts.map((r) => r.id));
    await pass(ctx, 2 + Math.ceil(ctx.granularityMs / 1000));
    await expectNothingEnqueued(ctx, q);
  });

  defineCase(
    ctx,
    'C18b',
    'changeVisibilityBatch(0) on 5 of 10 in-flight messages makes exactly those 5 receivable',
    async () => {
      const q = await newQueue(ctx, 'c18b');
      await q.sendBatch(
        entries(
          q,
          Array.from({ length: 10 }, (_, i) => `e${i}`),
          'c18b',
        ),
      );
      const got = await receiveExactly(ctx, q, 10, { visibilityTimeoutSeconds: 60 });
      const released = got.slice(0, 5);
      const result = await q.changeVisibilityBatch(
        released.map((m, i) => ({ id: `v${i}`, receiptHandle: m.receiptHandle, visibilityTimeoutSeconds: 0 })),
      );
      expect(result.failed).toEqual([]);
      expect(result.successful.map((s) => s.id)).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
      const again = await receiveExactly(ctx, q, 5, { visibilityTimeoutSeconds: 60 });
      expect(sorted(again.map((m) => m.messageId))).toEqual(sorted(released.map((m) => m.messageId)));
      for (const m of again) expect(m.receiveCount).toBe(2);
      await expectNone(ctx, q);
    },
    needs(ctx, 'changeVisibility'),
  );

  defineCase(
    ctx,
    'C18c',
    'delete/changeVisibility batches: an invalid entry fails alone, the others are applied',
    async () => {
      const q = await newQueue(ctx, 'c18c');
      await q.sendBatch(entries(q, ['a', 'b', 'c', 'd'], 'c18c'));
      const [a, b, c, d] = await receiveExactly(ctx, q, 4, { visibilityTimeoutSeconds: 60 });
      if (!a || !b || !c || !d) return;
      const deleted = await q.deleteBatch([
        { id: 'a', receiptHandle: a.receiptHandle },
        { id: 'bad', receiptHandle: '' },
        { id: 'b', receiptHandle: b.receiptHandle },
      ]);
      expect(deleted.successful.map((s) => s.id)).toEqual(['a', 'b']);
      expect(deleted.failed.map((f) => [f.id, f.code])).toEqual([['bad', 'ReceiptHandleIsInvalid']]);
      const changed = await q.changeVisibilityBatch([
        { id: 'c', receiptHandle: c.receiptHandle, visibilityTimeoutSeconds: 0 },
        { id: 'tooLong', receiptHandle: d.receiptHandle, visibilityTimeoutSeconds: 43_201 },
        { id: 'd', receiptHandle: d.receiptHandle, visibilityTimeoutSeconds: 0 },
      ]);
      expect(changed.successful.map((s) => s.id)).toEqual(['c', 'd']);
      expect(changed.failed.map((f) => [f.id, f.code])).toEqual([['tooLong', 'InvalidParameter']]);
      const again = await receiveExactly(ctx, q, 2);
      expect(sorted(again.map((m) => m.messageId))).toEqual(sorted([c.messageId, d.messageId]));
    },
    needs(ctx, 'changeVisibility'),
  );

  defineCase(
    ctx,
    'C18d',
    'changeVisibilityBatch: a stale receipt handle fails alone; the fresh entry is applied',
    async () => {
      const q = await newQueue(ctx, 'c18d');
      await q.sendBatch(entries(q, ['a', 'b'], 'c18d'));
      const [a, b] = await receiveExactly(ctx, q, 2, { visibilityTimeoutSeconds: 60 });
      if (!a || !b) return;
      await q.changeVisibility(a, 0);
      const aAgain = await receiveOne(ctx, q, { visibilityTimeoutSeconds: 60 });
      expect(aAgain.messageId).toBe(a.messageId);
      const result = await q.changeVisibilityBatch([
        { id: 'stale', receiptHandle: a.receiptHandle, visibilityTimeoutSeconds: 0 },
        { id: 'fresh', receiptHandle: b.receiptHandle, visibilityTimeoutSeconds: 0 },
      ]);
      expect(result.successful.map((s) => s.id)).toEqual(['fresh']);
      // A superseded handle is not a valid receipt handle (ChangeMessageVisibility API reference, Errors).
      expect(result.failed.map((f) => [f.id, f.code])).toEqual([['stale', 'ReceiptHandleIsInvalid']]);
      const bAgain = await receiveOne(ctx, q);
      expect(bAgain.messageId).toBe(b.messageId);
      await expectNone(ctx, q);
    },
    needs(ctx, 'changeVisibility', 'strictReceiptHandles'),
  );
}
