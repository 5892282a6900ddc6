import type { Queue, RedriveProgress } from '@msgport/core';
import { expect } from 'vitest';
import { bytes, plainAttributes, sorted } from '../support/compare.js';
import { type CaseContext, defineCase } from '../support/context.js';
import { expectError } from '../support/errors.js';
import { needs } from '../support/gates.js';
import { uniqueBody, uniqueName } from '../support/names.js';
import {
  expectNone,
  expectNothingEnqueued,
  expectQuiet,
  receiveExactly,
  receiveOne,
  receiveUntil,
} from '../support/receive.js';
import { newQueue, newQueueOfKind, sendOptions } from '../support/resources.js';

/** E. Redrive: dead-letter queues, and moving messages back. */
export function redriveCases(ctx: CaseContext): void {
  const withDeadLetter = async (tag: string, maxReceiveCount: number) => {
    const dlq = await newQueue(ctx, `${tag}-dlq`);
    const source = await newQueue(ctx, tag, {
      visibilityTimeoutSeconds: 30,
      deadLetter: { queue: dlq.name, maxReceiveCount },
    });
    return { source, dlq };
  };

  /** Receives (nacking everything) until a receive attempt comes back empty: all were dead-lettered. */
  const failUntilMoved = async (source: Queue<string>, cap: number) => {
    const counts: number[] = [];
    for (let i = 0; i < cap; i++) {
      const batch = await source.receive({ maxMessages: 10, waitTimeSeconds: ctx.clock ? 0 : 1 });
      if (batch.length === 0) return counts;
      for (const m of batch) {
        counts.push(m.receiveCount);
        await source.changeVisibility(m, 0);
      }
    }
    return counts;
  };

  defineCase(
    ctx,
    'E28',
    'a message is received exactly maxReceiveCount times, then the next receive moves it to the DLQ',
    async () => {
      const { source, dlq } = await withDeadLetter('e28', 3);
      const body = uniqueBody('e28');
      const sent = await source.send(body, sendOptions(source));
      const counts = await failUntilMoved(source, 3 + 5);
      expect(counts).toEqual([1, 2, 3]);
      await expectQuiet(ctx, source);
      const moved = await receiveExactly(ctx, dlq, 1);
      expect(moved[0]?.messageId).toBe(sent.messageId);
      expect(moved[0]?.body).toBe(body);
      await expectNone(ctx, dlq);
    },
    needs(ctx, 'deadLetter', 'changeVisibility'),
  );

  defineCase(
    ctx,
    'E29',
    'the dead-lettered message keeps its body, attributes and messageId',
    async () => {
      const { source, dlq } = await withDeadLetter('e29', 1);
      const body = uniqueBody('e29 ✓ 😍');
      const attributes = {
        s: 'text',
        n: 42,
        b: bytes(8),
        c: { dataType: 'String.custom', stringValue: 'y' },
      };
      const group = 'g-e29';
      const sent = await source.send(body, sendOptions(source, { attributes }, group));
      expect(await failUntilMoved(source, 5)).toEqual([1]);
      const m = await receiveOne(ctx, dlq);
      expect(m.messageId).toBe(sent.messageId);
      expect(m.body).toBe(body);
      expect(plainAttributes(m.attributes)).toEqual({
        s: { dataType: 'String', stringValue: 'text' },
        n: { dataType: 'Number', stringValue: '42' },
        b: { dataType: 'Binary', binaryValue: [...bytes(8)] },
        c: { dataType: 'String.custom', stringValue: 'y' },
      });
      if (source.fifo) expect(m.groupId).toBe(group);
    },
    needs(ctx, 'deadLetter', 'changeVisibility'),
  );

  defineCase(
    ctx,
    'E31',
    'without a dead-letter queue a failing message keeps coming back with a growing receiveCount',
    async () => {
      const q = await newQueue(ctx, 'e31', { visibilityTimeoutSeconds: 30 });
      await q.send(uniqueBody('e31'), sendOptions(q));
      const counts: number[] = [];
      for (let i = 0; i < 6; i++) {
        const m = await receiveOne(ctx, q);
        counts.push(m.receiveCount);
        await q.changeVisibility(m, 0);
      }
      expect(counts).toEqual([1, 2, 3, 4, 5, 6]);
    },
    needs(ctx, 'changeVisibility'),
  );

  defineCase(
    ctx,
    'E32',
    'a poison message does not block the others; it ends in the DLQ',
    async () => {
      const { source, dlq } = await withDeadLetter('e32', 2);
      const good = Array.from({ length: 7 }, (_, i) => uniqueBody(`e32-good-${i}`));
      const poison = uniqueBody('e32-poison');
      for (const body of [...good.slice(0, 3), poison, ...good.slice(3)]) await source.send(body, sendOptions(source));
      const processed: string[] = [];
      let poisonSeen = 0;
      for (let i = 0; i < 20 && (processed.length < good.length || poisonSeen < 2); i++) {
        const batch = await source.receive({ maxMessages: 10, waitTimeSeconds: ctx.clock ? 0 : 1 });
        for (const m of batch) {
          if (m.body === poison) {
            poisonSeen++;
            await source.changeVisibility(m, 0);
          } else {
            processed.push(m.body);
            await source.delete(m);
          }
        }
      }
      expect(sorted(processed)).toEqual(sorted(good));
      expect(poisonSeen).toBe(2);
      await expectQuiet(ctx, source);
      const dead = await receiveOne(ctx, dlq);
      expect(dead.body).toBe(poison);
    },
    needs(ctx, 'deadLetter', 'changeVisibility'),
  );

  defineCase(
    ctx,
    'E33a',
    'redrive back: DLQ → source as new messages (receiveCount 1), with progress; the DLQ is empty after',
    async () => {
      const { source, dlq } = await withDeadLetter('e33a', 1);
      const bodies = [0, 1, 2].map((i) => uniqueBody(`e33a-${i}`));
      for (const body of bodies) await source.send(body, sendOptions(source, { attributes: { k: body } }));
      expect(sorted((await failUntilMoved(source, 10)).map(String))).toEqual(['1', '1', '1']);
      await expectQuiet(ctx, source);
      const progress: RedriveProgress[] = [];
      const result = await dlq.redrive({ onProgress: (p) => progress.push(p) });
      expect(result).toEqual({ from: dlq.name, to: source.name, moved: 3, remaining: 0 });
      expect(progress.length).toBeGreaterThanOrEqual(1);
      expect(progress.at(-1)).toEqual({ from: dlq.name, to: source.name, moved: 3 });
      const movedCounts = progress.map((p) => p.moved);
      expect(movedCounts).toEqual([...movedCounts].sort((a, b) => a - b));
      const back = await receiveExactly(ctx, source, 3);
      expect(sorted(back.map((m) => m.body))).toEqual(sorted(bodies));
      for (const m of back) {
        expect(m.receiveCount).toBe(1);
        expect(m.attributes.k?.stringValue).toBe(m.body);
      }
      await expectNothingEnqueued(ctx, dlq);
    },
    needs(ctx, 'deadLetter', 'changeVisibility'),
  );

  defineCase(ctx, 'E33b', 'redrive to an explicit queue with maxMessages moves only that many', async () => {
    const from = await newQueue(ctx, 'e33b-from');
    const to = await newQueue(ctx, 'e33b-to');
    const bodies = [0, 1, 2].map((i) => uniqueBody(`e33b-${i}`));
    for (const body of bodies) await from.send(body, sendOptions(from));
    const result = await from.redrive({ to: to.name, maxMessages: 2 });
    expect(result).toEqual({ from: from.name, to: to.name, moved: 2, remaining: 1 });
    const moved = await receiveExactly(ctx, to, 2);
    for (const m of moved) expect(m.receiveCount).toBe(1);
    const left = await receiveExactly(ctx, from, 1);
    expect(sorted([...moved, ...left].map((m) => m.body))).toEqual(sorted(bodies));
    await expectQuiet(ctx, to);
  });

  defineCase(
    ctx,
    'E33c',
    'redrive without `to` from a queue no queue dead-letters into is InvalidParameter',
    async () => {
      const lonely = await newQueue(ctx, 'e33c');
      const body = uniqueBody('e33c');
      await lonely.send(body, sendOptions(lonely));
      await expectError(lonely.redrive(), 'InvalidParameter');
      expect((await receiveOne(ctx, lonely)).body).toBe(body);
    },
  );

  defineCase(
    ctx,
    'E33d',
    'FIFO redrive keeps the group order both into the DLQ and back',
    async () => {
      const dlq = await newQueueOfKind(ctx, 'fifo', 'e33d-dlq', { contentBasedDeduplication: true });
      const source = await newQueueOfKind(ctx, 'fifo', 'e33d', {
        contentBasedDeduplication: true,
        visibilityTimeoutSeconds: 30,
        deadLetter: { queue: dlq.name, maxReceiveCount: 1 },
      });
      const bodies = [0, 1, 2, 3].map((i) => uniqueBody(`e33d-${i}`));
      for (const body of bodies) await source.send(body, { groupId: 'G' });
      const counts = await failUntilMoved(source, 10);
      expect(counts).toEqual([1, 1, 1, 1]);
      await dlq.redrive();
      const back = await receiveUntil(ctx, source, 4, { deleteEach: true });
      expect(back.map((m) => m.body)).toEqual(bodies);
      for (const m of back) {
        expect(m.receiveCount).toBe(1);
        expect(m.groupId).toBe('G');
      }
    },
    needs(ctx, 'fifo', 'deadLetter', 'changeVisibility'),
  );

  defineCase(
    ctx,
    'E34',
    'FIFO → FIFO DLQ: the dead-lettered message keeps its groupId and unblocks its group',
    async () => {
      const dlq = await newQueueOfKind(ctx, 'fifo', 'e34-dlq', { contentBasedDeduplication: true });
      const source = await newQueueOfKind(ctx, 'fifo', 'e34', {
        contentBasedDeduplication: true,
        visibilityTimeoutSeconds: 30,
        deadLetter: { queue: dlq.name, maxReceiveCount: 1 },
      });
      const poison = uniqueBody('e34-poison');
      const next = uniqueBody('e34-next');
      await source.send(poison, { groupId: 'A' });
      await source.send(next, { groupId: 'A' });
      const first = await receiveOne(ctx, source);
      expect(first.body).toBe(poison);
      await source.changeVisibility(first, 0);
      const unblocked = await receiveOne(ctx, source);
      expect(unblocked.body).toBe(next);
      const dead = await receiveOne(ctx, dlq);
      expect(dead.body).toBe(poison);
      expect(dead.groupId).toBe('A');
    },
    needs(ctx, 'fifo', 'deadLetter', 'changeVisibility'),
  );

  defineCase(
    ctx,
    'E35',
    'dead-letter config: type must match, count 1–1000, DLQ must exist (else InvalidParameter); a rejected source is not created',
    async () => {
      const standardDlq = await newQueueOfKind(ctx, 'standard', 'e35-dlq');
      const notCreated = async (name: string) =>
        expectError(ctx.broker.queue(name).getAttributes(), 'QueueDoesNotExist');
      const standardName = uniqueName('e35');
      const fifoName = uniqueName('e35', 'fifo');
      // A missing dead-letter queue is InvalidParameterValue on SQS ("Value {…} for parameter RedrivePolicy is
      // invalid. Reason: Dead letter target does not exist."), not QueueDoesNotExist.
      const cases: Array<[string, { queue: string; maxReceiveCount: number }, 'InvalidParameter']> = [
        [standardName, { queue: uniqueName('e35-x', 'fifo'), maxReceiveCount: 3 }, 'InvalidParameter'],
        [fifoName, { queue: standardDlq.name, maxReceiveCount: 3 }, 'InvalidParameter'],
        [standardName, { queue: standardDlq.name, maxReceiveCount: 0 }, 'InvalidParameter'],
        [standardName, { queue: standardDlq.name, maxReceiveCount: 1001 }, 'InvalidParameter'],
        [standardName, { queue: standardDlq.name, maxReceiveCount: 2.5 }, 'InvalidParameter'],
        [standardName, { queue: standardName, maxReceiveCount: 3 }, 'InvalidParameter'],
        [standardName, { queue: uniqueName('e35-missing'), maxReceiveCount: 3 }, 'InvalidParameter'],
      ];
      for (const [name, deadLetter, code] of cases) {
        await expectError(
          ctx.broker.createQueue(name, { deadLetter, ...(name === fifoName ? { fifo: true } : {}) }),
          code,
        );
        await notCreated(name);
      }
      await notCreated(fifoName);
      // The boundaries are accepted.
      for (const maxReceiveCount of [1, 1000]) {
        const q = await newQueueOfKind(ctx, 'standard', 'e35-ok', {
          deadLetter: { queue: standardDlq.name, maxReceiveCount },
        });
        expect((await q.getAttributes()).config.deadLetter).toEqual({ queue: standardDlq.name, maxReceiveCount });
      }
    },
    needs(ctx, 'deadLetter'),
  );

  defineCase(
    ctx,
    'E36',
    'the receive count carries into the dead-letter queue: the first DLQ receive reports more than maxReceiveCount',
    async () => {
      // SQS counts receives across queues (ApproximateReceiveCount is not reset by the move). Whether the
      // receive attempt that moved the message counts as well is not documented (fauxqs counts it), so the
      // first DLQ receive reports maxReceiveCount + 1 or + 2, never a fresh count.
      const { source, dlq } = await withDeadLetter('e36', 2);
      const sent = await source.send(uniqueBody('e36'), sendOptions(source));
      expect(await failUntilMoved(source, 2 + 5)).toEqual([1, 2]);
      const [moved] = await receiveExactly(ctx, dlq, 1);
      expect(moved?.messageId).toBe(sent.messageId);
      expect([3, 4]).toContain(moved?.receiveCount);
    },
    needs(ctx, 'deadLetter', 'changeVisibility'),
  );

  defineCase(
    ctx,
    'E37',
    'a short receive that moves one message to the DLQ still returns the other available message',
    async () => {
      const { source, dlq } = await withDeadLetter('e37', 1);
      const first = await source.send(uniqueBody('e37-first'), sendOptions(source));
      const [received] = await receiveExactly(ctx, source, 1, { maxMessages: 1 });
      expect(received?.messageId).toBe(first.messageId);
      await source.changeVisibility(received as NonNullable<typeof received>, 0);
      const second = await source.send(uniqueBody('e37-second'), sendOptions(source));
      // A short receive of one message: the first has used its one receive and moves (if it comes first);
      // the second is returned all the same, not an empty answer.
      const got = await source.receive({ maxMessages: 1, waitTimeSeconds: 0 });
      expect(got.map((m) => m.messageId)).toEqual([second.messageId]);
      // Where the second came first, the next receive attempt moves the first.
      await expectQuiet(ctx, source);
      const [moved] = await receiveExactly(ctx, dlq, 1);
      expect(moved?.messageId).toBe(first.messageId);
    },
    needs(ctx, 'deadLetter', 'changeVisibility'),
  );
}
