import { expect } from 'vitest';
import { sorted } from '../support/compare.js';
import { type CaseContext, defineCase } from '../support/context.js';
import { expectError } from '../support/errors.js';
import { needs } from '../support/gates.js';
import { uniqueBody } from '../support/names.js';
import { expectNone, expectNothingEnqueued, expectQuiet, receiveExactly, receiveOne } from '../support/receive.js';
import { newQueue, sendOptions } from '../support/resources.js';
import { pass, Timeline } from '../support/timing.js';
import { expectHiddenUntil, receiveVisibleBy } from '../support/windows.js';

const STALE = ['ReceiptHandleIsInvalid', 'MessageNotInflight'] as const;

/**
 * The handle of a message that is no longer there for it — deleted, received again since, purged,
 * moved to the dead-letter queue — is not a valid receipt handle: ReceiptHandleIsInvalid, "The specified
 * receipt handle isn't valid" (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html,
 * Errors). MessageNotInflight ("The specified message isn't in flight") is for a current handle whose
 * message is back in the queue. Real SQS words the gone case "Value … for parameter ReceiptHandle is
 * invalid. Reason: Message does not exist or is not available for visibility timeout change."
 */
const GONE = 'ReceiptHandleIsInvalid';

/** D. Visibility, delete ("ack") and changeVisibility(0) ("nack"). */
export function visibilityCases(ctx: CaseContext): void {
  const sendOne = async (q: Awaited<ReturnType<typeof newQueue>>, label: string) => {
    const body = uniqueBody(label);
    const sent = await q.send(body, sendOptions(q));
    return { body, messageId: sent.messageId };
  };

  defineCase(ctx, 'D19', 'an in-flight message is invisible to other receives until its timeout', async () => {
    const q = await newQueue(ctx, 'd19');
    await sendOne(q, 'd19');
    await receiveOne(ctx, q, { visibilityTimeoutSeconds: 3 });
    const timeline = new Timeline(ctx);
    await expectHiddenUntil(ctx, q, timeline, 3);
  });

  defineCase(ctx, 'D20', 'visibility expiry redelivers the same message with receiveCount 2', async () => {
    const q = await newQueue(ctx, 'd20');
    const sent = await sendOne(q, 'd20');
    const first = await receiveOne(ctx, q, { visibilityTimeoutSeconds: 2 });
    const timeline = new Timeline(ctx);
    expect(first.receiveCount).toBe(1);
    await expectHiddenUntil(ctx, q, timeline, 2);
    const [again] = await receiveVisibleBy(ctx, q, timeline, 2);
    expect(again?.messageId).toBe(sent.messageId);
    expect(again?.body).toBe(sent.body);
    expect(again?.receiveCount).toBe(2);
  });

  defineCase(ctx, 'D21', 'delete is permanent: nothing returns after twice the visibility timeout', async () => {
    const q = await newQueue(ctx, 'd21');
    await sendOne(q, 'd21');
    const m = await receiveOne(ctx, q, { visibilityTimeoutSeconds: 2 });
    await q.delete(m);
    await pass(ctx, 4 + Math.ceil(ctx.granularityMs / 1000));
    await expectNothingEnqueued(ctx, q);
  });

  defineCase(
    ctx,
    'D22',
    'nack (changeVisibility 0) redelivers at once, long before the queue timeout, with receiveCount 2',
    async () => {
      const q = await newQueue(ctx, 'd22', { visibilityTimeoutSeconds: 60 });
      await sendOne(q, 'd22-a');
      await sendOne(q, 'd22-b');
      const first = await receiveExactly(ctx, q, 2);
      for (const m of first) await q.changeVisibility(m, 0);
      const again = await receiveExactly(ctx, q, 2, { timeoutMs: 2000 + ctx.granularityMs });
      expect(sorted(again.map((m) => m.messageId))).toEqual(sorted(first.map((m) => m.messageId)));
      for (const m of again) expect(m.receiveCount).toBe(2);
    },
    needs(ctx, 'changeVisibility'),
  );

  defineCase(
    ctx,
    'D23',
    'nack with a delay (changeVisibility 2) hides it for 2 s and keeps the receive count',
    async () => {
      const q = await newQueue(ctx, 'd23', { visibilityTimeoutSeconds: 60 });
      const sent = await sendOne(q, 'd23');
      const m = await receiveOne(ctx, q);
      await q.changeVisibility(m, 2);
      const timeline = new Timeline(ctx);
      await expectHiddenUntil(ctx, q, timeline, 2);
      const [again] = await receiveVisibleBy(ctx, q, timeline, 2);
      expect(again?.messageId).toBe(sent.messageId);
      expect(again?.receiveCount).toBe(2);
    },
    needs(ctx, 'changeVisibility'),
  );

  defineCase(
    ctx,
    'D24',
    'double delete resolves; deleted messages never return; a nacked one does',
    async () => {
      const q = await newQueue(ctx, 'd24', { visibilityTimeoutSeconds: 60 });
      for (const i of [0, 1, 2]) await sendOne(q, `d24-${i}`);
      const [m0, m1, m2] = await receiveExactly(ctx, q, 3);
      if (!m0 || !m1 || !m2) return;
      await q.delete(m0);
      await q.delete(m0);
      await q.delete(m1.receiptHandle);
      await q.delete(m1);
      await q.changeVisibility(m2, 0);
      const again = await receiveOne(ctx, q);
      expect(again.messageId).toBe(m2.messageId);
      expect(again.receiveCount).toBe(2);
      await expectNone(ctx, q);
    },
    needs(ctx, 'changeVisibility'),
  );

  defineCase(
    ctx,
    'D25a',
    'extend a lease: changeVisibility before expiry keeps others away; the holder can still delete',
    async () => {
      const q = await newQueue(ctx, 'd25a');
      await sendOne(q, 'd25a');
      const m = await receiveOne(ctx, q, { visibilityTimeoutSeconds: 2 });
      await pass(ctx, 1);
      await q.changeVisibility(m, 4);
      const timeline = new Timeline(ctx);
      await expectHiddenUntil(ctx, q, timeline, 4);
      await q.delete(m);
      await pass(ctx, 1 + Math.ceil(ctx.granularityMs / 1000));
      await expectNothingEnqueued(ctx, q);
    },
    needs(ctx, 'changeVisibility'),
  );

  defineCase(
    ctx,
    'D25b',
    'changeVisibility counts from now: shortening 30 s to 2 s (1 s after the receive) redelivers at ~3 s',
    async () => {
      const q = await newQueue(ctx, 'd25b');
      const sent = await sendOne(q, 'd25b');
      const m = await receiveOne(ctx, q, { visibilityTimeoutSeconds: 30 });
      await pass(ctx, 1);
      await q.changeVisibility(m, 2);
      const timeline = new Timeline(ctx);
      await expectHiddenUntil(ctx, q, timeline, 2);
      const [again] = await receiveVisibleBy(ctx, q, timeline, 2);
      expect(again?.messageId).toBe(sent.messageId);
    },
    needs(ctx, 'changeVisibility'),
  );

  defineCase(ctx, 'D26a', 'per-receive visibility overrides the queue default for that receive only', async () => {
    const q = await newQueue(ctx, 'd26a', { visibilityTimeoutSeconds: 30 });
    const sent = await sendOne(q, 'd26a');
    await receiveOne(ctx, q, { visibilityTimeoutSeconds: 2 });
    const timeline = new Timeline(ctx);
    await expectHiddenUntil(ctx, q, timeline, 2);
    const [again] = await receiveVisibleBy(ctx, q, timeline, 2);
    expect(again?.messageId).toBe(sent.messageId);
    // This receive had no override: the queue's 30 s apply.
    const second = new Timeline(ctx);
    await expectHiddenUntil(ctx, q, second, ctx.clock ? 30 : 4);
  });

  defineCase(ctx, 'D26b', 'receive with visibilityTimeoutSeconds 0 leaves the message visible at once', async () => {
    const q = await newQueue(ctx, 'd26b');
    const sent = await sendOne(q, 'd26b');
    const first = await receiveOne(ctx, q, { visibilityTimeoutSeconds: 0 });
    expect(first.receiveCount).toBe(1);
    const again = await receiveOne(ctx, q, { visibilityTimeoutSeconds: 30 });
    expect(again.messageId).toBe(sent.messageId);
    expect(again.receiveCount).toBe(2);
  });

  defineCase(
    ctx,
    'D27a',
    'superseded receipt handle: changeVisibility is ReceiptHandleIsInvalid, delete resolves, the new holder deletes',
    async () => {
      const q = await newQueue(ctx, 'd27a');
      const sent = await sendOne(q, 'd27a');
      const a = await receiveOne(ctx, q, { visibilityTimeoutSeconds: 1 });
      const timeline = new Timeline(ctx);
      const [b] = await receiveVisibleBy(ctx, q, timeline, 1, 1, { visibilityTimeoutSeconds: 30 });
      if (!b) return;
      expect(b.messageId).toBe(sent.messageId);
      expect(b.receiptHandle).not.toBe(a.receiptHandle);
      await expectError(q.changeVisibility(a, 10), GONE);
      await q.delete(a);
      await q.delete(b);
      await expectNothingEnqueued(ctx, q);
    },
    needs(ctx, 'changeVisibility', 'strictReceiptHandles'),
  );

  defineCase(
    ctx,
    'D27b',
    'changeVisibility after the timeout expired (not received again) rejects; the message stays available',
    async () => {
      const q = await newQueue(ctx, 'd27b');
      const sent = await sendOne(q, 'd27b');
      const a = await receiveOne(ctx, q, { visibilityTimeoutSeconds: 1 });
      await pass(ctx, 1 + (ctx.clock ? 0 : ctx.granularityMs / 1000 + 1));
      await expectError(q.changeVisibility(a, 30), STALE);
      const again = await receiveOne(ctx, q);
      expect(again.messageId).toBe(sent.messageId);
      expect(again.receiveCount).toBe(2);
    },
    needs(ctx, 'changeVisibility', 'strictReceiptHandles'),
  );

  defineCase(
    ctx,
    'D28a',
    'visibility ranges: 0–43,200 whole seconds, else InvalidParameter with nothing applied',
    async () => {
      const q = await newQueue(ctx, 'd28a');
      await sendOne(q, 'd28a');
      for (const bad of [-1, 43_201, 1.5]) {
        await expectError(q.receive({ visibilityTimeoutSeconds: bad, waitTimeSeconds: 0 }), 'InvalidParameter');
      }
      const m = await receiveOne(ctx, q, { visibilityTimeoutSeconds: 30 });
      expect(m.receiveCount).toBe(1);
      for (const bad of [-1, 43_201, 0.5]) await expectError(q.changeVisibility(m, bad), 'InvalidParameter');
      await expectNone(ctx, q);
    },
  );

  defineCase(
    ctx,
    'D28b',
    'the 12 h cap counts from the receive: extending past it is InvalidParameter',
    async () => {
      const q = await newQueue(ctx, 'd28b');
      const sent = await sendOne(q, 'd28b');
      const m = await receiveOne(ctx, q, { visibilityTimeoutSeconds: 30 });
      await q.changeVisibility(m, ctx.clock ? 43_200 : 43_200 - 5);
      await pass(ctx, ctx.clock ? 10 : 3);
      await expectError(q.changeVisibility(m, 43_200), 'InvalidParameter');
      await q.changeVisibility(m, 43_200 - 30);
      await q.changeVisibility(m, 0);
      const again = await receiveOne(ctx, q);
      expect(again.messageId).toBe(sent.messageId);
      expect(again.receiveCount).toBe(2);
    },
    needs(ctx, 'changeVisibility'),
  );

  defineCase(ctx, 'D29', "without an override the queue's visibility timeout applies", async () => {
    const q = await newQueue(ctx, 'd29', { visibilityTimeoutSeconds: 2 });
    const sent = await sendOne(q, 'd29');
    await receiveOne(ctx, q);
    const timeline = new Timeline(ctx);
    await expectHiddenUntil(ctx, q, timeline, 2);
    const [again] = await receiveVisibleBy(ctx, q, timeline, 2);
    expect(again?.messageId).toBe(sent.messageId);
  });

  defineCase(
    ctx,
    'D27c',
    'changeVisibility with the handle of a deleted message is ReceiptHandleIsInvalid; delete again resolves',
    async () => {
      const q = await newQueue(ctx, 'd27c');
      await sendOne(q, 'd27c');
      const m = await receiveOne(ctx, q, { visibilityTimeoutSeconds: 30 });
      await q.delete(m);
      await expectError(q.changeVisibility(m, 10), GONE);
      await expectError(q.changeVisibility(m, 0), GONE);
      await q.delete(m);
      await expectNothingEnqueued(ctx, q);
    },
    needs(ctx, 'changeVisibility', 'strictReceiptHandles'),
  );

  defineCase(
    ctx,
    'D27d',
    'changeVisibility with the handle of a purged message is ReceiptHandleIsInvalid',
    async () => {
      const q = await newQueue(ctx, 'd27d');
      await sendOne(q, 'd27d');
      const m = await receiveOne(ctx, q, { visibilityTimeoutSeconds: 30 });
      await q.purge();
      await expectError(q.changeVisibility(m, 10), GONE);
      await expectNothingEnqueued(ctx, q);
    },
    needs(ctx, 'changeVisibility', 'strictReceiptHandles', 'purge'),
  );

  defineCase(
    ctx,
    'D27e',
    'changeVisibility with the handle of a message moved to the dead-letter queue is ReceiptHandleIsInvalid',
    async () => {
      const dlq = await newQueue(ctx, 'd27e-dlq');
      const q = await newQueue(ctx, 'd27e', { deadLetter: { queue: dlq.name, maxReceiveCount: 1 } });
      const sent = await sendOne(q, 'd27e');
      const m = await receiveOne(ctx, q, { visibilityTimeoutSeconds: 1 });
      await pass(ctx, 1 + (ctx.clock ? 0 : ctx.granularityMs / 1000 + 1));
      // This receive attempt moves the message to the dead-letter queue.
      await expectQuiet(ctx, q);
      const [moved] = await receiveExactly(ctx, dlq, 1, { visibilityTimeoutSeconds: 30 });
      expect(moved?.messageId).toBe(sent.messageId);
      await expectError(q.changeVisibility(m, 10), GONE);
    },
    needs(ctx, 'changeVisibility', 'strictReceiptHandles', 'deadLetter'),
  );
}
