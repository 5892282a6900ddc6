import { consume, type SQSBatchResponse } from '@msgport/core';
import { expect } from 'vitest';
import { consumerCase, consumerVisibility, sendAll, until } from '../support/consumers.js';
import type { CaseContext } from '../support/context.js';
import { uniqueBody } from '../support/names.js';
import { drain, eventually } from '../support/receive.js';
import { newQueue } from '../support/resources.js';

/** J (observability). Metrics, events and failure reports of the consumer runtime. */
export function consumerObservabilityCases(ctx: CaseContext): void {
  const visibility = consumerVisibility(ctx);

  consumerCase(ctx, 'J73', 'metrics: CloudWatch-named queue metrics and consumer metrics add up', async (k) => {
    const queue = await newQueue(ctx, 'j73', { visibilityTimeoutSeconds: visibility });
    const bodies = Array.from({ length: 12 }, (_, i) => uniqueBody(`j73-${i}`));
    await sendAll(queue, bodies);
    const consumer = await k.start(queue, async () => {}, { functionTimeoutSeconds: 1 });
    await until('all were deleted', () => consumer.metrics().NumberOfMessagesDeleted === 12);
    const metrics = consumer.metrics();
    expect(metrics.NumberOfMessagesReceived).toBe(12);
    expect(metrics.Invocations).toBeGreaterThanOrEqual(2);
    expect(metrics.BatchSizeAverage).toBeGreaterThan(0);
    const queueMetrics = await eventually(ctx, async () => {
      const m = await queue.metrics();
      expect(m.ApproximateNumberOfMessagesVisible + m.ApproximateNumberOfMessagesNotVisible).toBe(0);
      return m;
    });
    expect(queueMetrics).toMatchObject({
      NumberOfMessagesSent: 12,
      NumberOfMessagesReceived: 12,
      NumberOfMessagesDeleted: 12,
    });
    expect(queueMetrics.ApproximateNumberOfMessagesDelayed).toBe(0);
    expect(typeof queueMetrics.ApproximateAgeOfOldestMessage).toBe('number');
    await drain(ctx, queue, 5);
  });

  consumerCase(
    ctx,
    'J74',
    'every handler failure reaches handlerError with its error and message ids (batch throw, reported items, per-message throw)',
    async (k) => {
      const visibilityLong = ctx.clock ? 300 : 30;
      type Failure = { error: unknown; ids: readonly string[] };
      const watch = (consumer: {
        on(e: 'handlerError', fn: (error: unknown, ids: readonly string[]) => void): unknown;
      }) => {
        const failures: Failure[] = [];
        consumer.on('handlerError', (error, ids) => failures.push({ error, ids }));
        return failures;
      };

      // A Lambda handler that throws: the error itself, every id of the batch.
      const thrown = await newQueue(ctx, 'j74-throw', { visibilityTimeoutSeconds: visibilityLong });
      await sendAll(thrown, [uniqueBody('j74-a')]);
      const boom = new Error('boom');
      let thrownIds: string[] = [];
      const c1 = await k.start(
        thrown,
        async (event) => {
          thrownIds = event.Records.map((r) => r.messageId);
          throw boom;
        },
        { functionTimeoutSeconds: 1 },
      );
      const f1 = watch(c1);
      await until('the throw was reported', () => f1.length === 1);
      expect(f1[0]?.error).toBe(boom);
      expect(f1[0]?.ids).toEqual(thrownIds);

      // batchItemFailures: an Error stating the reason, with exactly the reported ids.
      const reported = await newQueue(ctx, 'j74-items', { visibilityTimeoutSeconds: visibilityLong });
      await sendAll(reported, [uniqueBody('j74-b')]);
      let reportedId = '';
      const c2 = await k.start(
        reported,
        async (event): Promise<SQSBatchResponse> => {
          reportedId = event.Records[0]?.messageId ?? '';
          return { batchItemFailures: [{ itemIdentifier: reportedId }] };
        },
        { functionTimeoutSeconds: 1, functionResponseTypes: ['ReportBatchItemFailures'] },
      );
      const f2 = watch(c2);
      await until('the reported failure was reported', () => f2.length === 1);
      expect(f2[0]?.error).toBeInstanceOf(Error);
      expect(String((f2[0]?.error as Error | undefined)?.message)).toMatch(/batchItemFailures/);
      expect(f2[0]?.ids).toEqual([reportedId]);

      // consumeMessages: the per-message error object, with that message's id.
      const each = await newQueue(ctx, 'j74-each', { visibilityTimeoutSeconds: visibilityLong });
      const [good, bad] = [uniqueBody('j74-good'), uniqueBody('j74-bad')];
      await sendAll(each, [good, bad]);
      const perMessage = new Error('this one failed');
      let badId = '';
      const c3 = await k.startEach(
        each,
        async (message) => {
          if (message.rawBody === bad) {
            badId = message.messageId;
            throw perMessage;
          }
        },
        { functionTimeoutSeconds: 1 },
      );
      const f3 = watch(c3);
      await until('the per-message failure was reported', () => f3.length === 1);
      await until('the good one was deleted', () => c3.metrics().NumberOfMessagesDeleted === 1);
      expect(f3).toEqual([{ error: perMessage, ids: [badId] }]);
    },
  );

  consumerCase(
    ctx,
    'J75',
    'the starting concurrency event reaches a listener attached after consume() resolves',
    async (k) => {
      const queue = await newQueue(ctx, 'j75', { visibilityTimeoutSeconds: visibility });
      const consumer = k.track(
        await consume(queue, async () => {}, k.opts({ functionTimeoutSeconds: 1, maximumConcurrency: 3 })),
      );
      const targets: number[] = [];
      consumer.on('concurrency', (target) => targets.push(target));
      await until('the starting target was announced', () => targets.length > 0, 2_000);
      expect(targets[0]).toBe(3);
    },
  );
}
