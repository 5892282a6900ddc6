import { expect } from 'vitest';
import { type CaseContext, defineCase } from '../support/context.js';
import { expectError } from '../support/errors.js';
import { needs, needsManualClock, needsStandardRun } from '../support/gates.js';
import { uniqueBody } from '../support/names.js';
import { eventually, expectNothingEnqueued, receiveOne } from '../support/receive.js';
import { newQueue, newQueueOfKind, sendOptions } from '../support/resources.js';
import { sleep, Timeline, tick, track } from '../support/timing.js';
import { expectHiddenUntil, receiveVisibleBy } from '../support/windows.js';

/** F. Delays: per message (standard queues) and per queue. */
export function delayCases(ctx: CaseContext): void {
  const perMessage = needsStandardRun(ctx, 'FIFO queues reject a per-message delay');

  defineCase(
    ctx,
    'F35',
    'per-message delay: hidden until delaySeconds, then delivered',
    async () => {
      const q = await newQueue(ctx, 'f35');
      const body = uniqueBody('f35');
      const timeline = new Timeline(ctx);
      await q.send(body, { delaySeconds: 2 });
      await expectHiddenUntil(ctx, q, timeline, 2);
      const [m] = await receiveVisibleBy(ctx, q, timeline, 2);
      expect(m?.body).toBe(body);
      expect(m?.receiveCount).toBe(1);
    },
    needs(ctx, 'delay'),
    perMessage,
  );

  defineCase(
    ctx,
    'F36a',
    'queue delay applies by default; a per-message delaySeconds 0 overrides it',
    async () => {
      const q = await newQueue(ctx, 'f36a', { delaySeconds: 2 });
      const delayed = uniqueBody('f36a-delayed');
      const immediate = uniqueBody('f36a-immediate');
      const timeline = new Timeline(ctx);
      await q.send(delayed);
      await q.send(immediate, { delaySeconds: 0 });
      expect((await receiveOne(ctx, q, { timeoutMs: 1000 + ctx.granularityMs })).body).toBe(immediate);
      await expectHiddenUntil(ctx, q, timeline, 2);
      const [m] = await receiveVisibleBy(ctx, q, timeline, 2);
      expect(m?.body).toBe(delayed);
    },
    needs(ctx, 'delay'),
    perMessage,
  );

  defineCase(
    ctx,
    'F36b',
    'FIFO queue delay applies to every message (delaySeconds 0 on the message is accepted)',
    async () => {
      const q = await newQueueOfKind(ctx, 'fifo', 'f36b', { delaySeconds: 2, contentBasedDeduplication: true });
      const a = uniqueBody('f36b-a');
      const b = uniqueBody('f36b-b');
      const timeline = new Timeline(ctx);
      await q.send(a, { groupId: 'g1' });
      await q.send(b, { groupId: 'g2', delaySeconds: 0 });
      await expectHiddenUntil(ctx, q, timeline, 2);
      const got = await receiveVisibleBy(ctx, q, timeline, 2, 2);
      expect(got.map((m) => m.body).sort()).toEqual([a, b].sort());
    },
    needs(ctx, 'delay', 'fifo'),
  );

  defineCase(
    ctx,
    'F37a',
    'delaySeconds must be 0–900 whole seconds; out of range is InvalidParameter, nothing enqueued',
    async () => {
      const q = await newQueue(ctx, 'f37a');
      for (const bad of [901, -1, 1.5]) {
        await expectError(q.send(uniqueBody('f37a'), sendOptions(q, { delaySeconds: bad })), 'InvalidParameter');
      }
      await expectNothingEnqueued(ctx, q);
      const max = q.send(uniqueBody('f37a'), sendOptions(q, { delaySeconds: 900 }));
      if (q.fifo) await expectError(max, 'InvalidParameter');
      else if (ctx.caps.delay && ctx.caps.maxDelaySeconds >= 900) {
        await max;
        if (ctx.caps.queueStats) await eventually(ctx, async () => expect((await q.getAttributes()).delayed).toBe(1));
      } else await expectError(max, 'UnsupportedCapability');
    },
  );

  defineCase(
    ctx,
    'F37b',
    'FIFO queues reject a per-message delay (InvalidParameter) but accept delaySeconds 0',
    async () => {
      const q = await newQueueOfKind(ctx, 'fifo', 'f37b', { contentBasedDeduplication: true });
      await expectError(q.send(uniqueBody('f37b'), { groupId: 'g', delaySeconds: 1 }), 'InvalidParameter');
      await expectNothingEnqueued(ctx, q);
      const body = uniqueBody('f37b');
      await q.send(body, { groupId: 'g', delaySeconds: 0 });
      expect((await receiveOne(ctx, q)).body).toBe(body);
    },
    needs(ctx, 'fifo'),
  );

  defineCase(
    ctx,
    'F38',
    'the maximum delay of 900 s holds the message for 15 minutes',
    async () => {
      const q = await newQueue(ctx, 'f38');
      const body = uniqueBody('f38');
      const timeline = new Timeline(ctx);
      await q.send(body, { delaySeconds: 900 });
      await expectHiddenUntil(ctx, q, timeline, 900);
      const [m] = await receiveVisibleBy(ctx, q, timeline, 900);
      expect(m?.body).toBe(body);
    },
    needs(ctx, 'delay'),
    needsManualClock(ctx, 'a 900 s delay'),
    perMessage,
  );

  defineCase(
    ctx,
    'F39',
    'a long poll returns a delayed message as soon as its delay ends',
    async () => {
      const q = await newQueue(ctx, 'f39');
      const body = uniqueBody('f39');
      await q.send(body, { delaySeconds: 2 });
      const started = Date.now();
      const poll = track(q.receive({ waitTimeSeconds: 5 }));
      if (ctx.clock) {
        await tick();
        expect(poll.settled()).toBe(false);
        await ctx.clock.advance(2);
      }
      const outcome = await Promise.race([poll.promise, sleep(ctx.clock ? 1000 : 5000).then(() => 'timeout' as const)]);
      expect(outcome, 'the long poll did not return the message when its delay ended').not.toBe('timeout');
      if (outcome === 'timeout') return;
      expect(outcome.map((m) => m.body)).toEqual([body]);
      if (!ctx.clock) {
        expect(Date.now() - started).toBeGreaterThanOrEqual(2000 - ctx.granularityMs - 250);
        expect(Date.now() - started).toBeLessThan(2000 + ctx.granularityMs + 1500);
      }
    },
    needs(ctx, 'delay', 'longPolling'),
    perMessage,
  );
}
