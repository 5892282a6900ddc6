import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { type CaseContext, defineCase } from '../support/context.js';
import { fifoHelpers } from '../support/fifo.js';
import { needsManualClock } from '../support/gates.js';
import { uniqueBody } from '../support/names.js';
import { expectNone, expectQuiet, receiveExactly, receiveUntil } from '../support/receive.js';
import { newQueueOfKind } from '../support/resources.js';

/** H. FIFO queues: deduplication: by id, by content, scopes and the 5-minute window. */
export function fifoDedupCases(ctx: CaseContext): void {
  const { fifo, fifoQueue, bodiesOf, next } = fifoHelpers(ctx);

  defineCase(
    ctx,
    'H46a',
    'dedup by id (queue scope): a duplicate returns the original id, is not delivered, even from another group',
    async () => {
      const q = await newQueueOfKind(ctx, 'fifo', 'h46a');
      const first = await q.send('first body', { groupId: 'g1', deduplicationId: 'X' });
      const second = await q.send('second body', { groupId: 'g1', deduplicationId: 'X' });
      const otherGroup = await q.send('third body', { groupId: 'g2', deduplicationId: 'X' });
      expect(second).toEqual(first);
      expect(otherGroup).toEqual(first);
      const m = await next(q);
      expect(m.body).toBe('first body');
      expect(m.messageId).toBe(first.messageId);
      await q.delete(m);
      await expectQuiet(ctx, q);
    },
    fifo,
  );

  defineCase(
    ctx,
    'H46b',
    'dedup scope messageGroup: the same id in two groups is two messages; within a group one',
    async () => {
      const q = await newQueueOfKind(ctx, 'fifo', 'h46b', { deduplicationScope: 'messageGroup' });
      const a = await q.send('in g1', { groupId: 'g1', deduplicationId: 'X' });
      const b = await q.send('in g2', { groupId: 'g2', deduplicationId: 'X' });
      const again = await q.send('in g1 again', { groupId: 'g1', deduplicationId: 'X' });
      expect(b.messageId).not.toBe(a.messageId);
      expect(again.messageId).toBe(a.messageId);
      const got = await receiveExactly(ctx, q, 2);
      expect(bodiesOf(got).sort()).toEqual(['in g1', 'in g2']);
      for (const m of got) await q.delete(m);
      await expectQuiet(ctx, q);
    },
    fifo,
  );

  defineCase(
    ctx,
    'H47',
    'content-based dedup: same body once; explicit deduplication ids win over the body hash',
    async () => {
      const q = await fifoQueue('h47');
      const body = uniqueBody('h47');
      const a = await q.send(body, { groupId: 'g' });
      const b = await q.send(body, { groupId: 'g' });
      expect(b.messageId).toBe(a.messageId);
      await q.send(body, { groupId: 'g', deduplicationId: 'e1' });
      await q.send(body, { groupId: 'g', deduplicationId: 'e2' });
      const got = await receiveUntil(ctx, q, 3, { deleteEach: true });
      expect(got.map((m) => m.deduplicationId)).toEqual([
        createHash('sha256').update(body, 'utf8').digest('hex'),
        'e1',
        'e2',
      ]);
      await expectQuiet(ctx, q);
    },
    fifo,
  );

  defineCase(
    ctx,
    'H48',
    'dedup survives delete: resending within the window is suppressed',
    async () => {
      const q = await newQueueOfKind(ctx, 'fifo', 'h48');
      const first = await q.send('once', { groupId: 'g', deduplicationId: 'X' });
      const m = await next(q);
      await q.delete(m);
      const again = await q.send('once', { groupId: 'g', deduplicationId: 'X' });
      expect(again.messageId).toBe(first.messageId);
      await expectQuiet(ctx, q);
    },
    fifo,
  );

  defineCase(
    ctx,
    'H49',
    'the dedup window is 5 minutes: suppressed at 299 s, a new message after 300 s',
    async () => {
      const q = await newQueueOfKind(ctx, 'fifo', 'h49');
      const first = await q.send('body', { groupId: 'g', deduplicationId: 'X' });
      await q.delete(await next(q));
      await ctx.clock?.advance(299);
      expect((await q.send('body', { groupId: 'g', deduplicationId: 'X' })).messageId).toBe(first.messageId);
      await expectNone(ctx, q);
      await ctx.clock?.advance(2);
      const later = await q.send('body', { groupId: 'g', deduplicationId: 'X' });
      expect(later.messageId).not.toBe(first.messageId);
      expect((await next(q)).messageId).toBe(later.messageId);
    },
    fifo,
    needsManualClock(ctx, 'the 5 min dedup window'),
  );
}
