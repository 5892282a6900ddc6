import type { Queue } from '@msgport/core';
import { expect } from 'vitest';
import { type CaseContext, defineCase } from '../support/context.js';
import { expectError } from '../support/errors.js';
import { fifoHelpers } from '../support/fifo.js';
import { needs } from '../support/gates.js';
import { shortId, uniqueBody, uniqueName } from '../support/names.js';
import { expectNothingEnqueued, receiveUntil } from '../support/receive.js';
import { newQueueOfKind } from '../support/resources.js';

/** H. FIFO queues: FIFO validation rules and fair queues. */
export function fifoRuleCases(ctx: CaseContext): void {
  const { fifo, next } = fifoHelpers(ctx);

  defineCase(
    ctx,
    'H50a',
    'FIFO send rules: groupId required, deduplicationId required without content dedup, id formats; nothing enqueued',
    async () => {
      const q = await newQueueOfKind(ctx, 'fifo', 'h50a');
      const bad: Array<Parameters<Queue<string>['send']>[1]> = [
        { deduplicationId: 'd' },
        { groupId: 'g' },
        { groupId: 'g', deduplicationId: 'd', delaySeconds: 1 },
        { groupId: 'g', deduplicationId: 'x'.repeat(129) },
        { groupId: 'x'.repeat(129), deduplicationId: 'd' },
        { groupId: 'a b', deduplicationId: 'd' },
        { groupId: 'g', deduplicationId: '' },
        { groupId: '', deduplicationId: 'd' },
        { groupId: 'g', deduplicationId: 'é' },
      ];
      for (const options of bad) await expectError(q.send(uniqueBody('h50a'), options), 'InvalidParameter');
      await expectNothingEnqueued(ctx, q);
      const longest = { groupId: 'g'.repeat(128), deduplicationId: `!~${'d'.repeat(126)}` };
      await q.send('fine', longest);
      const m = await next(q);
      expect([m.groupId, m.deduplicationId]).toEqual([longest.groupId, longest.deduplicationId]);
    },
    fifo,
  );

  defineCase(
    ctx,
    'H50b',
    'standard queues reject FIFO-only options (deduplicationId, content dedup, dedup scope, throughput limit)',
    async () => {
      const q = await newQueueOfKind(ctx, 'standard', 'h50b');
      await expectError(q.send(uniqueBody('h50b'), { deduplicationId: 'd' }), 'InvalidParameter');
      await expectNothingEnqueued(ctx, q);
      const fifoOnly = [
        { contentBasedDeduplication: true },
        { deduplicationScope: 'messageGroup' as const },
        { fifoThroughputLimit: 'perQueue' as const },
      ];
      for (const options of fifoOnly) {
        const name = uniqueName('h50b');
        await expectError(ctx.broker.createQueue(name, options), 'InvalidParameter');
        await expectError(ctx.broker.queue(name).getAttributes(), 'QueueDoesNotExist');
      }
    },
  );

  defineCase(
    ctx,
    'H50c',
    'FIFO queue names end in .fifo (counted in the 80 characters) and agree with the fifo option',
    async () => {
      const stem = `mpc-h50c-${shortId()}`;
      const longest = `${stem}-${'x'.repeat(80 - stem.length - 1 - '.fifo'.length)}.fifo`;
      expect(longest.length).toBe(80);
      const q = await ctx.broker.createQueue(longest, { fifo: true });
      ctx.track('queue', longest);
      expect(q.fifo).toBe(true);
      const invalid: Array<[string, { fifo?: boolean }]> = [
        [`${stem}-y${'x'.repeat(80 - stem.length - 1 - '.fifo'.length)}.fifo`, {}],
        [`${stem}-nosuffix`, { fifo: true }],
        [`${stem}-suffix.fifo`, { fifo: false }],
        ['.fifo', {}],
        [`${stem}.a.fifo`, {}],
      ];
      for (const [name, options] of invalid)
        await expectError(ctx.broker.createQueue(name, options), 'InvalidParameter');
      expect(await ctx.broker.listQueues(stem)).toEqual([longest]);
    },
    fifo,
  );

  defineCase(
    ctx,
    'H50d',
    'a .fifo name needs fifo: true, and fifo: true needs a .fifo name (InvalidParameter, as SQS); nothing is created',
    async () => {
      // SQS creates a FIFO queue only with FifoQueue=true; without it a ".fifo" name is a standard queue name
      // with a forbidden "." (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html).
      const fifoName = uniqueName('h50d', 'fifo');
      const standardName = uniqueName('h50d');
      for (const [name, options] of [
        [fifoName, {}],
        [fifoName, { fifo: false }],
        [standardName, { fifo: true }],
      ] as const) {
        await expectError(ctx.broker.createQueue(name, options), 'InvalidParameter');
        await expectError(ctx.broker.queue(name).getAttributes(), 'QueueDoesNotExist');
      }
    },
  );

  defineCase(
    ctx,
    'H50e',
    'fifoThroughputLimit: perQueue by default, perMessageGroupId with messageGroup dedup scope; kept, compared on re-create',
    async () => {
      const plain = await newQueueOfKind(ctx, 'fifo', 'h50e-default', { contentBasedDeduplication: true });
      expect((await plain.getAttributes()).config.fifoThroughputLimit).toBe('perQueue');
      const highThroughput = { deduplicationScope: 'messageGroup', fifoThroughputLimit: 'perMessageGroupId' } as const;
      const fast = await newQueueOfKind(ctx, 'fifo', 'h50e-fast', highThroughput);
      expect((await fast.getAttributes()).config).toMatchObject(highThroughput);
      await ctx.broker.createQueue(fast.name, { fifo: true, ...highThroughput });
      await expectError(
        ctx.broker.createQueue(fast.name, { fifo: true, deduplicationScope: 'messageGroup' }),
        'QueueAlreadyExists',
      );
      // "The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup"
      // (API reference, CreateQueue, FifoThroughputLimit).
      const name = uniqueName('h50e-bad', 'fifo');
      for (const options of [
        { fifoThroughputLimit: 'perMessageGroupId' },
        { deduplicationScope: 'queue', fifoThroughputLimit: 'perMessageGroupId' },
        { fifoThroughputLimit: 'perSecond' },
      ] as const) {
        await expectError(ctx.broker.createQueue(name, { fifo: true, ...options } as never), 'InvalidParameter');
      }
      await expectError(ctx.broker.queue(name).getAttributes(), 'QueueDoesNotExist');
    },
    fifo,
  );

  defineCase(
    ctx,
    'H51',
    'fair queues: groupId is accepted on standard queues, and a noisy group does not starve a quiet one',
    async () => {
      const q = await newQueueOfKind(ctx, 'standard', 'h51');
      const noisy = Array.from({ length: 30 }, (_, i) => ({
        id: `n${i}`,
        body: uniqueBody(`noisy-${i}`),
        groupId: 'noisy',
      }));
      const quiet = Array.from({ length: 3 }, (_, i) => ({
        id: `q${i}`,
        body: uniqueBody(`quiet-${i}`),
        groupId: 'quiet',
      }));
      expect((await q.sendBatch(noisy)).failed).toEqual([]);
      expect((await q.sendBatch(quiet)).failed).toEqual([]);
      const got = await receiveUntil(ctx, q, 33, { deleteEach: true, timeoutMs: 8000 + ctx.granularityMs });
      expect(got.length).toBe(33);
      const quietBodies = new Set(quiet.map((e) => e.body));
      const positions = got.flatMap((m, i) => (quietBodies.has(m.body) ? [i] : []));
      expect(positions).toHaveLength(3);
      expect(Math.max(...positions), 'quiet messages waited behind the noisy group').toBeLessThan(16);
    },
    needs(ctx, 'fairQueues'),
  );
}
