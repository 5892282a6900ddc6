import { createHash } from 'node:crypto';
import { type SQSBatchResponse, type SQSEvent, TimeoutError } from '@msgport/core';
import { expect } from 'vitest';
import { bodiesOf, consumerCase, consumerVisibility, sendAll, until } from '../support/consumers.js';
import type { CaseContext } from '../support/context.js';
import { needs } from '../support/gates.js';
import { uniqueBody } from '../support/names.js';
import { receiveExactly } from '../support/receive.js';
import { newQueue, newQueueOfKind, sendOptions } from '../support/resources.js';
import { pass } from '../support/timing.js';

/**
 * J (outcomes). What becomes of a batch, as the event source mapping decides it: the record
 * shape, success, partial and whole failures, invalid answers, FIFO order, poison messages, timeouts.
 */
export function consumerOutcomeCases(ctx: CaseContext): void {
  const visibility = consumerVisibility(ctx);

  consumerCase(ctx, 'J62', 'records look exactly as Lambda delivers them', async (k) => {
    const queue = await newQueue(ctx, 'j62', { visibilityTimeoutSeconds: visibility });
    const body = uniqueBody('j62');
    await queue.send(body, sendOptions(queue, { attributes: { s: 'text', n: 42, b: Uint8Array.of(1, 2) } }));
    const events: SQSEvent[] = [];
    await k.start(
      queue,
      async (event) => {
        events.push(event);
      },
      { functionTimeoutSeconds: 1 },
    );
    await until('one event arrived', () => events.length === 1);
    const record = events[0]?.Records[0];
    expect(record).toMatchObject({
      body,
      eventSource: 'aws:sqs',
      md5OfBody: createHash('md5').update(body).digest('hex'),
      attributes: { ApproximateReceiveCount: '1', SenderId: expect.any(String) },
      messageAttributes: {
        s: { dataType: 'String', stringValue: 'text' },
        n: { dataType: 'Number', stringValue: '42' },
        b: { dataType: 'Binary', binaryValue: Buffer.from([1, 2]).toString('base64') },
      },
    });
    expect(record?.eventSourceARN).toContain(queue.name);
    expect(typeof record?.attributes.SentTimestamp).toBe('string');
    expect(typeof record?.awsRegion).toBe('string');
    expect(record?.messageId).toMatch(/\S/);
    expect(record?.receiptHandle).toMatch(/\S/);
    if (queue.fifo) expect(record?.attributes.MessageGroupId).toMatch(/\S/);
  });

  consumerCase(
    ctx,
    'J63',
    'partial batch response: only the listed ids come back, after the visibility timeout',
    async (k) => {
      // A standard queue: on FIFO queues a failure also returns the rest of its group (J66).
      const queue = await newQueueOfKind(ctx, 'standard', 'j63', { visibilityTimeoutSeconds: visibility });
      const bodies = Array.from({ length: 6 }, (_, i) => uniqueBody(`j63-${i}`));
      const failing = new Set([bodies[1], bodies[4]]);
      await sendAll(queue, bodies, 'j63');
      const deliveries = new Map<string, number>();
      const consumer = await k.start(
        queue,
        async (event): Promise<SQSBatchResponse> => {
          const batchItemFailures = [];
          for (const record of event.Records) {
            const seen = (deliveries.get(record.body) ?? 0) + 1;
            deliveries.set(record.body, seen);
            if (failing.has(record.body) && seen === 1) batchItemFailures.push({ itemIdentifier: record.messageId });
          }
          return { batchItemFailures };
        },
        { functionResponseTypes: ['ReportBatchItemFailures'], functionTimeoutSeconds: visibility },
      );
      await until('every message was delivered', () => deliveries.size === 6);
      await until('4 were deleted', () => consumer.metrics().NumberOfMessagesDeleted === 4);
      expect(consumer.metrics().PartialFailures).toBe(2);
      await pass(ctx, visibility);
      await until(
        'the failed two were deleted on retry',
        () => consumer.metrics().NumberOfMessagesDeleted === 6,
        20_000,
      );
      expect(Object.fromEntries(bodies.map((b) => [b, deliveries.get(b)]))).toEqual(
        Object.fromEntries(bodies.map((b) => [b, failing.has(b) ? 2 : 1])),
      );
    },
  );

  consumerCase(
    ctx,
    'J64',
    'a thrown error returns the whole batch after the visibility timeout, not before',
    async (k) => {
      const queue = await newQueue(ctx, 'j64', { visibilityTimeoutSeconds: visibility });
      const bodies = Array.from({ length: 3 }, (_, i) => uniqueBody(`j64-${i}`));
      await sendAll(queue, bodies, 'j64');
      const now = () => ctx.clock?.now() ?? Date.now();
      const attempts: { body: string; receiveCount: number; at: number }[] = [];
      let fail = true;
      const errors: unknown[] = [];
      let invocations = 0;
      const consumer = await k.start(
        queue,
        async (event) => {
          invocations++;
          for (const r of event.Records) {
            attempts.push({ body: r.body, receiveCount: Number(r.attributes.ApproximateReceiveCount), at: now() });
          }
          if (fail) throw new Error('Simulated');
        },
        { batchSize: 10, functionTimeoutSeconds: visibility },
      );
      consumer.on('handlerError', (error) => errors.push(error));
      // The handler records its attempt before it throws: wait for the runtime to see every throw.
      await until('the first attempts failed', () => attempts.length === 3 && errors.length === invocations);
      expect(consumer.metrics()).toMatchObject({ Errors: invocations, NumberOfMessagesDeleted: 0 });
      fail = false;
      if (ctx.clock) {
        await pass(ctx, visibility - 1);
        expect(attempts.length).toBe(3);
        await pass(ctx, 1);
      }
      await until('all were retried and deleted', () => consumer.metrics().NumberOfMessagesDeleted === 3, 20_000);
      const report = JSON.stringify(attempts);
      for (const body of bodies) {
        const [failed, retried, ...more] = attempts.filter((attempt) => attempt.body === body);
        expect(more, report).toEqual([]);
        expect(retried?.receiveCount, report).toBe((failed?.receiveCount ?? 0) + 1);
        expect((retried?.at ?? 0) - (failed?.at ?? 0), report).toBeGreaterThanOrEqual(
          visibility * 1000 - ctx.granularityMs,
        );
      }
    },
  );

  consumerCase(
    ctx,
    'J65',
    'an invalid batch response (unknown or empty itemIdentifier) is a full failure',
    async (k) => {
      const queue = await newQueue(ctx, 'j65', { visibilityTimeoutSeconds: visibility });
      const bodies = [uniqueBody('j65-a'), uniqueBody('j65-b')];
      await sendAll(queue, bodies, 'j65');
      const deliveries = new Map<string, number>();
      let invocations = 0;
      const consumer = await k.start(
        queue,
        async (event) => {
          invocations++;
          for (const body of bodiesOf(event)) deliveries.set(body, (deliveries.get(body) ?? 0) + 1);
          const firstRound = event.Records.every((r) => r.attributes.ApproximateReceiveCount === '1');
          if (!firstRound) return { batchItemFailures: [] };
          return { batchItemFailures: [{ itemIdentifier: invocations % 2 ? 'not-a-message-id' : '' }] };
        },
        { functionResponseTypes: ['ReportBatchItemFailures'], functionTimeoutSeconds: visibility },
      );
      await until('both were delivered', () => deliveries.size === 2);
      expect(consumer.metrics().NumberOfMessagesDeleted).toBe(0);
      expect(consumer.metrics().Errors).toBeGreaterThanOrEqual(1);
      await pass(ctx, visibility);
      await until('both were retried and deleted', () => consumer.metrics().NumberOfMessagesDeleted === 2, 20_000);
      expect([...deliveries.values()]).toEqual([2, 2]);
    },
  );

  consumerCase(
    ctx,
    'J65b',
    'without ReportBatchItemFailures a returned response is ignored: the batch is deleted',
    async (k) => {
      const queue = await newQueue(ctx, 'j65b', { visibilityTimeoutSeconds: visibility });
      await sendAll(queue, [uniqueBody('j65b')]);
      const consumer = await k.start(
        queue,
        async (event) => ({ batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) }),
        { functionTimeoutSeconds: 1 },
      );
      await until('it was deleted', () => consumer.metrics().NumberOfMessagesDeleted === 1);
    },
  );

  consumerCase(
    ctx,
    'J66',
    'FIFO: per group in order; on failure the rest of the group is returned unprocessed and retried in order',
    async (k) => {
      const queue = await newQueueOfKind(ctx, 'fifo', 'j66', {
        visibilityTimeoutSeconds: visibility,
        contentBasedDeduplication: true,
      });
      const bodies = Array.from({ length: 6 }, (_, i) => uniqueBody(`j66-${i}`));
      await sendAll(queue, bodies, 'G');
      const processed: string[] = [];
      const attempts: string[] = [];
      let failedOnce = false;
      const consumer = await k.startEach(
        queue,
        async (message) => {
          attempts.push(message.rawBody);
          if (message.rawBody === bodies[2] && !failedOnce) {
            failedOnce = true;
            throw new Error('Simulated');
          }
          processed.push(message.rawBody);
        },
        { batchSize: 10, functionTimeoutSeconds: visibility },
      );
      await until(
        'the first pass stopped at the failure',
        () => failedOnce && consumer.metrics().NumberOfMessagesDeleted === 2,
      );
      expect(processed).toEqual(bodies.slice(0, 2));
      await pass(ctx, visibility);
      await until('the group finished', () => processed.length === 6, 20_000);
      expect(processed).toEqual(bodies);
      expect(attempts.slice(0, 3)).toEqual(bodies.slice(0, 3));
      expect(attempts.slice(3)).toEqual(bodies.slice(2));
    },
    needs(ctx, 'fifo'),
  );

  consumerCase(
    ctx,
    'J67',
    'a poison message does not block the others and reaches the DLQ after maxReceiveCount',
    async (k) => {
      const dlq = await newQueue(ctx, 'j67-dlq');
      const queue = await newQueue(ctx, 'j67', {
        visibilityTimeoutSeconds: visibility,
        deadLetter: { queue: dlq.name, maxReceiveCount: 2 },
      });
      const bodies = Array.from({ length: 20 }, (_, i) => uniqueBody(`j67-${i}`));
      const poison = bodies[7] as string;
      await sendAll(queue, bodies);
      const done = new Set<string>();
      let poisonAttempts = 0;
      await k.startEach(
        queue,
        async (message) => {
          if (message.rawBody === poison) {
            poisonAttempts++;
            throw new Error('poison');
          }
          done.add(message.rawBody);
        },
        { batchSize: 5, maximumConcurrency: 2, functionTimeoutSeconds: visibility },
      );
      await until('the other 19 were processed', () => done.size === 19);
      await pass(ctx, visibility);
      await until('the poison was tried twice', () => poisonAttempts === 2, 20_000);
      await pass(ctx, visibility);
      const [dead] = await receiveExactly(ctx, dlq, 1, { timeoutMs: 15_000 });
      expect(dead?.rawBody).toBe(poison);
      expect(poisonAttempts).toBe(2);
    },
    needs(ctx, 'deadLetter'),
  );

  consumerCase(
    ctx,
    'J70',
    'a handler over functionTimeoutSeconds is aborted (a TimeoutError) and its batch returns after the visibility timeout',
    async (k) => {
      const queue = await newQueue(ctx, 'j70', { visibilityTimeoutSeconds: visibility + 1 });
      const body = uniqueBody('j70');
      await sendAll(queue, [body]);
      const attempts: number[] = [];
      const failures: [unknown, readonly string[]][] = [];
      let abortedFirst = false;
      const consumer = await k.start(
        queue,
        async (event, context) => {
          const attempt = Number(event.Records[0]?.attributes.ApproximateReceiveCount);
          attempts.push(attempt);
          if (attempt === 1) {
            await new Promise<void>((resolve) => context.signal.addEventListener('abort', () => resolve()));
            abortedFirst = context.signal.aborted;
          }
        },
        { functionTimeoutSeconds: 1 },
      );
      consumer.on('handlerError', (error, ids) => failures.push([error, ids]));
      await until('the first attempt started', () => attempts.length === 1);
      await pass(ctx, 1);
      await until('the first attempt was aborted', () => abortedFirst);
      expect(consumer.metrics().Errors).toBe(1);
      expect(failures).toHaveLength(1);
      expect(failures[0]?.[0]).toBeInstanceOf(TimeoutError);
      expect(failures[0]?.[0]).toMatchObject({ code: 'Timeout' });
      expect(failures[0]?.[1]).toHaveLength(1);
      await pass(ctx, visibility + 1);
      await until('the retry deleted it', () => consumer.metrics().NumberOfMessagesDeleted === 1, 20_000);
      expect(attempts).toEqual([1, 2]);
    },
  );
}
