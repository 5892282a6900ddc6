import { expect } from 'vitest';
import { type CaseContext, defineCase } from '../support/context.js';
import { expectError } from '../support/errors.js';
import { needs, needsManualClock } from '../support/gates.js';
import { uniqueBody, uniqueName } from '../support/names.js';
import {
  eventually,
  expectNone,
  expectNothingEnqueued,
  expectQuiet,
  receiveExactly,
  receiveOne,
} from '../support/receive.js';
import { newQueue, sendOptions } from '../support/resources.js';
import { nowMs, pass, tick, track } from '../support/timing.js';

/** G. Retention, purge and queue statistics. */
export function retentionCases(ctx: CaseContext): void {
  const slackSeconds = () => Math.ceil(ctx.granularityMs / 1000);

  defineCase(
    ctx,
    'G38a',
    'purge removes available and in-flight messages; later sends are delivered',
    async () => {
      const q = await newQueue(ctx, 'g38a');
      for (let i = 0; i < 5; i++) await q.send(uniqueBody(`g38a-${i}`), sendOptions(q));
      await receiveExactly(ctx, q, 2, { visibilityTimeoutSeconds: 2 });
      await q.purge();
      await expectQuiet(ctx, q);
      await pass(ctx, 2 + slackSeconds());
      await expectNothingEnqueued(ctx, q);
      const after = uniqueBody('g38a-after');
      await q.send(after, sendOptions(q));
      expect((await receiveOne(ctx, q)).body).toBe(after);
    },
    needs(ctx, 'purge'),
  );

  defineCase(
    ctx,
    'G38b',
    'a second purge within 60 s is PurgeInProgress',
    async () => {
      const q = await newQueue(ctx, 'g38b');
      await q.send(uniqueBody('g38b'), sendOptions(q));
      await q.purge();
      const error = await expectError(q.purge(), 'PurgeInProgress');
      expect(error.retryable).toBe(false);
    },
    needs(ctx, 'purge'),
  );

  defineCase(
    ctx,
    'G38c',
    'purge is allowed again once 60 s have passed',
    async () => {
      const q = await newQueue(ctx, 'g38c');
      await q.purge();
      await pass(ctx, 59);
      await expectError(q.purge(), 'PurgeInProgress');
      await pass(ctx, 1);
      await q.purge();
    },
    needs(ctx, 'purge'),
    needsManualClock(ctx, 'the 60 s purge interval'),
  );

  defineCase(
    ctx,
    'G39a',
    'retention: a message older than retentionSeconds is never delivered (and not dead-lettered)',
    async () => {
      const dlq = ctx.caps.deadLetter ? await newQueue(ctx, 'g39a-dlq') : undefined;
      const q = await newQueue(ctx, 'g39a', {
        retentionSeconds: 60,
        ...(dlq ? { deadLetter: { queue: dlq.name, maxReceiveCount: 1 } } : {}),
      });
      await q.send(uniqueBody('g39a'), sendOptions(q));
      await pass(ctx, 59);
      if (ctx.caps.queueStats) expect((await q.getAttributes()).visible).toBe(1);
      await pass(ctx, 2);
      await expectNone(ctx, q);
      if (ctx.caps.queueStats) await eventually(ctx, async () => expect((await q.getAttributes()).visible).toBe(0));
      if (dlq) await expectNothingEnqueued(ctx, dlq);
    },
    needs(ctx, 'retention'),
    needsManualClock(ctx, 'the 60 s minimum retention'),
  );

  defineCase(
    ctx,
    'G39b',
    'retention also ends an in-flight message: it never comes back',
    async () => {
      const q = await newQueue(ctx, 'g39b', { retentionSeconds: 60 });
      await q.send(uniqueBody('g39b'), sendOptions(q));
      await receiveOne(ctx, q, { visibilityTimeoutSeconds: 120 });
      await pass(ctx, 121);
      await expectNothingEnqueued(ctx, q);
    },
    needs(ctx, 'retention'),
    needsManualClock(ctx, 'the 60 s minimum retention'),
  );

  defineCase(
    ctx,
    'G41a',
    'stats: visible, inFlight and delayed counts are (eventually) right',
    async () => {
      const q = await newQueue(ctx, 'g41a');
      const delayed = !q.fifo && ctx.caps.delay ? 1 : 0;
      if (delayed) await q.send(uniqueBody('g41a-delayed'), { delaySeconds: 60 });
      await q.send(uniqueBody('g41a-1'), sendOptions(q));
      await q.send(uniqueBody('g41a-2'), sendOptions(q));
      await receiveOne(ctx, q, { visibilityTimeoutSeconds: 60 });
      await eventually(ctx, async () => {
        const stats = await q.getAttributes();
        expect({ visible: stats.visible, inFlight: stats.inFlight, delayed: stats.delayed }).toEqual({
          visible: 1,
          inFlight: 1,
          delayed,
        });
      });
    },
    needs(ctx, 'queueStats'),
  );

  defineCase(
    ctx,
    'G41b',
    'stats: createdAt is the creation time; the oldest message age grows with time (where declared); empty means 0',
    async () => {
      const before = nowMs(ctx);
      const q = await newQueue(ctx, 'g41b');
      const after = nowMs(ctx);
      const slack = ctx.granularityMs + (ctx.clock ? 0 : 1000);
      const empty = await q.getAttributes();
      expect(empty.oldestMessageAgeSeconds).toBe(0);
      expect(empty.createdAt).toBeInstanceOf(Date);
      expect(empty.createdAt.getTime()).toBeGreaterThanOrEqual(before - slack);
      expect(empty.createdAt.getTime()).toBeLessThanOrEqual(after + slack);
      // A transport that declares it cannot report the age (SQS) reports 0; the rest is about the age.
      if (ctx.caps.oldestMessageAge === false) return;
      await q.send(uniqueBody('g41b'), sendOptions(q));
      const wait = ctx.clock ? 5 : 3;
      await pass(ctx, wait);
      await eventually(ctx, async () => {
        const age = (await q.getAttributes()).oldestMessageAgeSeconds;
        expect(age).toBeGreaterThanOrEqual(wait - slackSeconds());
        expect(age).toBeLessThanOrEqual(wait + slackSeconds() + (ctx.clock ? 0 : 2));
      });
      await q.delete(await receiveOne(ctx, q));
      await eventually(ctx, async () => {
        const stats = await q.getAttributes();
        expect([stats.visible, stats.inFlight, stats.delayed, stats.oldestMessageAgeSeconds]).toEqual([0, 0, 0, 0]);
      });
    },
    needs(ctx, 'queueStats'),
  );

  defineCase(ctx, 'G41c', 'queue defaults: visibility 30 s, retention 4 d, 1 MiB, no delay, no long poll', async () => {
    const q = await newQueue(ctx, 'g41c');
    const attributes = await q.getAttributes();
    expect(attributes.name).toBe(q.name);
    expect(attributes.config).toEqual({
      fifo: ctx.fifoRun,
      visibilityTimeoutSeconds: 30,
      delaySeconds: 0,
      retentionSeconds: 345_600,
      maxMessageBytes: 1_048_576,
      receiveWaitTimeSeconds: 0,
      contentBasedDeduplication: ctx.fifoRun,
      deduplicationScope: 'queue',
      fifoThroughputLimit: 'perQueue',
    });
  });

  defineCase(
    ctx,
    'G42',
    "the queue's receiveWaitTimeSeconds makes a receive without waitTimeSeconds a long poll",
    async () => {
      const q = await newQueue(ctx, 'g42', { receiveWaitTimeSeconds: 2 });
      if (ctx.clock) {
        const poll = track(q.receive());
        await tick();
        await ctx.clock.advance(1);
        expect(poll.settled(), 'receive() ended before the queue wait time').toBe(false);
        await ctx.clock.advance(1);
        expect(await poll.promise).toEqual([]);
      } else {
        const started = Date.now();
        expect(await q.receive()).toEqual([]);
        expect(Date.now() - started).toBeGreaterThanOrEqual(2000 - ctx.granularityMs);
      }
      const started = Date.now();
      expect(await q.receive({ waitTimeSeconds: 0 })).toEqual([]);
      expect(Date.now() - started).toBeLessThan(1000 + ctx.granularityMs);
    },
    needs(ctx, 'longPolling'),
  );

  defineCase(
    ctx,
    'G43',
    'retention is 60–1,209,600 s: the bounds are accepted, outside is InvalidParameter',
    async () => {
      for (const bad of [59, 1_209_601, 60.5]) {
        const name = uniqueName('g43', ctx.queueKind);
        await expectError(ctx.broker.createQueue(name, { retentionSeconds: bad }), 'InvalidParameter');
        await expectError(ctx.broker.queue(name).getAttributes(), 'QueueDoesNotExist');
      }
      for (const retentionSeconds of [60, 1_209_600]) {
        const q = await newQueue(ctx, 'g43', { retentionSeconds });
        expect((await q.getAttributes()).config.retentionSeconds).toBe(retentionSeconds);
      }
    },
  );
}
