import type { ReceivedMessage } from '@msgport/core';
import { expect } from 'vitest';
import { at } from '../support/compare.js';
import { type CaseContext, defineCase } from '../support/context.js';
import { fifoHelpers } from '../support/fifo.js';
import { needs } from '../support/gates.js';
import { shortId, uniqueBody } from '../support/names.js';
import { expectNone, receiveOne, receiveUntil } from '../support/receive.js';
import { sleep, Timeline, tick, track } from '../support/timing.js';
import { expectHiddenUntil, receiveVisibleBy } from '../support/windows.js';

/** H. FIFO queues: order per group, group locks and nacks. */
export function fifoOrderCases(ctx: CaseContext): void {
  const { fifo, fifoQueue, bodiesOf, next } = fifoHelpers(ctx);

  defineCase(
    ctx,
    'H42',
    'single group: delivery order is send order; sequence numbers strictly increase',
    async () => {
      const q = await fifoQueue('h42');
      const bodies = Array.from({ length: 20 }, (_, i) => uniqueBody(`h42-${String(i).padStart(2, '0')}`));
      const sequence: string[] = [];
      for (const body of bodies) {
        const sent = await q.send(body, { groupId: 'G' });
        expect(sent.sequenceNumber).toMatch(/^\d+$/);
        sequence.push(sent.sequenceNumber ?? '');
      }
      for (let i = 1; i < sequence.length; i++) {
        expect(BigInt(at(sequence, i)) > BigInt(at(sequence, i - 1)), 'sequence numbers increase').toBe(true);
      }
      const got = await receiveUntil(ctx, q, 20, { deleteEach: true });
      expect(bodiesOf(got)).toEqual(bodies);
      expect(got.map((m) => m.sequenceNumber)).toEqual(sequence);
    },
    fifo,
  );

  defineCase(
    ctx,
    'H43',
    'several groups, three concurrent consumers: each group is processed in send order',
    async () => {
      const q = await fifoQueue('h43');
      const groups = ['a', 'b', 'c', 'd'];
      const perGroup = 10;
      const entries = Array.from({ length: groups.length * perGroup }, (_, i) => {
        const group = at(groups, i % groups.length);
        const index = Math.floor(i / groups.length);
        return { id: `e${i}`, body: `${group}:${index}:${shortId()}`, groupId: group };
      });
      const result = await q.sendBatch(entries);
      expect(result.failed).toEqual([]);
      const seen = new Map<string, number[]>(groups.map((g) => [g, []]));
      let total = 0;
      const deadline = Date.now() + 8000 + ctx.granularityMs;
      const consumer = async () => {
        let empty = 0;
        while (total < entries.length && Date.now() < deadline && empty < (ctx.clock ? 5 : 100)) {
          const batch = await q.receive({ maxMessages: 3, waitTimeSeconds: ctx.clock ? 0 : 1 });
          empty = batch.length === 0 ? empty + 1 : 0;
          for (const m of batch) {
            const [group, index] = m.body.split(':');
            seen.get(group ?? '')?.push(Number(index));
            total++;
          }
          if (ctx.clock) await tick();
          for (const m of batch) await q.delete(m);
        }
      };
      await Promise.all([consumer(), consumer(), consumer()]);
      for (const group of groups) {
        expect(seen.get(group), `order of group ${group}`).toEqual(Array.from({ length: perGroup }, (_, i) => i));
      }
    },
    fifo,
  );

  defineCase(
    ctx,
    'H44a',
    'group lock: while G1a is in flight G1b waits, G2a is delivered; deleting G1a releases G1b',
    async () => {
      const q = await fifoQueue('h44a', { visibilityTimeoutSeconds: 30 });
      const [g1a, g1b, g2a] = ['g1a', 'g1b', 'g2a'].map((label) => uniqueBody(`h44a-${label}`)) as [
        string,
        string,
        string,
      ];
      await q.send(g1a, { groupId: 'G1' });
      await q.send(g1b, { groupId: 'G1' });
      await q.send(g2a, { groupId: 'G2' });
      const first = await next(q);
      expect(first.body).toBe(g1a);
      const others = await receiveUntil(ctx, q, 2, { timeoutMs: 2000 + ctx.granularityMs });
      expect(bodiesOf(others)).toEqual([g2a]);
      for (const m of others) await q.delete(m);
      await expectNone(ctx, q);
      await q.delete(first);
      expect((await next(q)).body).toBe(g1b);
    },
    fifo,
  );

  defineCase(
    ctx,
    'H44b',
    'group lock holds until the visibility timeout; then the same message comes back first',
    async () => {
      const q = await fifoQueue('h44b');
      const [m1, m2] = [uniqueBody('h44b-1'), uniqueBody('h44b-2')];
      await q.send(m1, { groupId: 'G' });
      await q.send(m2, { groupId: 'G' });
      const first = await receiveOne(ctx, q, { visibilityTimeoutSeconds: 2 });
      expect(first.body).toBe(m1);
      const timeline = new Timeline(ctx);
      await expectHiddenUntil(ctx, q, timeline, 2);
      const [again] = await receiveVisibleBy(ctx, q, timeline, 2, 1, { maxMessages: 1 });
      expect(again?.body).toBe(m1);
      expect(again?.receiveCount).toBe(2);
    },
    fifo,
  );

  defineCase(
    ctx,
    'H44c',
    'a long poll blocked by a group lock wakes when the lock is released',
    async () => {
      const q = await fifoQueue('h44c', { visibilityTimeoutSeconds: 30 });
      const [m1, m2] = [uniqueBody('h44c-1'), uniqueBody('h44c-2')];
      await q.send(m1, { groupId: 'G' });
      await q.send(m2, { groupId: 'G' });
      const first = await next(q);
      const started = Date.now();
      const poll = track(q.receive({ waitTimeSeconds: 5 }));
      await (ctx.clock ? tick() : sleep(300));
      expect(poll.settled(), 'the poll returned although the group is locked').toBe(false);
      await q.delete(first);
      const outcome = await Promise.race([poll.promise, sleep(ctx.clock ? 1000 : 4000).then(() => 'timeout' as const)]);
      expect(outcome, 'the blocked long poll did not wake').not.toBe('timeout');
      if (outcome === 'timeout') return;
      expect(bodiesOf(outcome)).toEqual([m2]);
      if (!ctx.clock) expect(Date.now() - started).toBeLessThan(4000);
    },
    fifo,
    needs(ctx, 'longPolling'),
  );

  defineCase(
    ctx,
    'H44d',
    'one receive returns as many messages of one group as possible, in order',
    async () => {
      const q = await fifoQueue('h44d');
      const bodies = Array.from({ length: 5 }, (_, i) => uniqueBody(`h44d-${i}`));
      for (const body of bodies) await q.send(body, { groupId: 'G' });
      // "As many as possible": a broker that streams messages to the client (RabbitMQ) may not have
      // all five at hand for the first receive, so collect in order and require batching, not all 5 at once.
      const batches: ReceivedMessage<string>[][] = [];
      for (let i = 0; i < 20 && batches.flat().length < bodies.length; i++) {
        const batch = await q.receive({ maxMessages: 10, waitTimeSeconds: ctx.clock ? 0 : 1 });
        if (batch.length === 0) continue;
        batches.push(batch);
        await q.deleteBatch(batch.map((m, j) => ({ id: `d${j}`, receiptHandle: m.receiptHandle })));
      }
      expect(bodiesOf(batches.flat())).toEqual(bodies);
      expect(Math.max(...batches.map((batch) => batch.length)), 'largest single receive').toBeGreaterThan(1);
      if (ctx.clock) expect(batches.length).toBe(1);
    },
    fifo,
  );

  defineCase(
    ctx,
    'H45a',
    'nack keeps group order: m1, m1 (receiveCount 2), m2, m3',
    async () => {
      const q = await fifoQueue('h45a', { visibilityTimeoutSeconds: 30 });
      const bodies = [1, 2, 3].map((i) => uniqueBody(`h45a-${i}`));
      for (const body of bodies) await q.send(body, { groupId: 'G' });
      const first = await next(q);
      await q.changeVisibility(first, 0);
      const sequence: Array<[string, number]> = [[first.body, first.receiveCount]];
      for (let i = 0; i < 3; i++) {
        const m = await next(q);
        sequence.push([m.body, m.receiveCount]);
        await q.delete(m);
      }
      expect(sequence).toEqual([
        [bodies[0], 1],
        [bodies[0], 2],
        [bodies[1], 1],
        [bodies[2], 1],
      ]);
    },
    fifo,
    needs(ctx, 'changeVisibility'),
  );

  defineCase(
    ctx,
    'H45b',
    'nacking the rest of a received batch returns it in order',
    async () => {
      const q = await fifoQueue('h45b', { visibilityTimeoutSeconds: 30 });
      const bodies = [1, 2, 3].map((i) => uniqueBody(`h45b-${i}`));
      for (const body of bodies) await q.send(body, { groupId: 'G' });
      const batch = await receiveUntil(ctx, q, 3);
      expect(bodiesOf(batch)).toEqual(bodies);
      await q.delete(at(batch, 0));
      await q.changeVisibility(at(batch, 1), 0);
      await q.changeVisibility(at(batch, 2), 0);
      const again = await receiveUntil(ctx, q, 2, { deleteEach: true });
      expect(bodiesOf(again)).toEqual(bodies.slice(1));
    },
    fifo,
    needs(ctx, 'changeVisibility'),
  );
}
