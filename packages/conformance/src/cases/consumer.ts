import { createHash } from 'node:crypto';
import {
  type ConsumeOptions,
  type Consumer,
  consume,
  consumeMessages,
  type MessageHandler,
  type Queue,
  type SQSBatchResponse,
  type SQSEvent,
  type SQSHandler,
} from '@msgport/core';
import { expect } from 'vitest';
import { type CaseContext, defineCase } from '../support/context.js';
import { expectError } from '../support/errors.js';
import { needs } from '../support/gates.js';
import { uniqueBody } from '../support/names.js';
import { drain, eventually, receiveExactly, receiveUntil } from '../support/receive.js';
import { newQueue, newQueueOfKind, sendOptions } from '../support/resources.js';
import { pass, sleep } from '../support/timing.js';

/** A promise the test resolves: handlers wait on it to stay in flight. */
class Latch {
  readonly promise: Promise<void>;
  open!: () => void;
  constructor() {
    this.promise = new Promise<void>((resolve) => {
      this.open = resolve;
    });
  }
}

/** Waits in real time (the consumer runs on its own) until `predicate` holds. */
async function until(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) expect.fail(`timed out waiting until ${what}`);
    await sleep(5);
  }
}

/**
 * J. The consumer runtime: Lambda's event source mapping (concurrency, outcomes, FIFO order,
 * shutdown, heartbeat) on the transport under test.
 */
export function consumerCases(ctx: CaseContext): void {
  const opts = (options: ConsumeOptions): ConsumeOptions => ({
    ...(ctx.clock ? { clock: ctx.clock } : {}),
    waitTimeSeconds: ctx.clock ? 20 : 1,
    ...options,
  });
  /** Each case owns its consumers (cases may run concurrently); its cleanup force-stops them. */
  const kit = () => {
    const consumers = new Set<{ stop(options: { force: true }): Promise<void> }>();
    const track = <
      C extends { stop(options: { force: true }): Promise<void>; on(event: 'warning', fn: () => void): unknown },
    >(
      consumer: C,
    ): C => {
      consumer.on('warning', () => {});
      consumers.add(consumer);
      return consumer;
    };
    return {
      track,
      start: async <T>(queue: Queue<T>, handler: SQSHandler, options: ConsumeOptions): Promise<Consumer<T>> =>
        track(await consume(queue, handler, opts(options))),
      startEach: async <T>(
        queue: Queue<T>,
        handler: MessageHandler<T>,
        options: ConsumeOptions,
      ): Promise<Consumer<T>> => track(await consumeMessages(queue, handler, opts(options))),
      stopAll: async () => {
        await Promise.all([...consumers].map((consumer) => consumer.stop({ force: true })));
      },
    };
  };
  type Kit = ReturnType<typeof kit>;
  const sendAll = async (queue: Queue<string>, bodies: readonly string[], group?: string) => {
    for (const body of bodies) await queue.send(body, sendOptions(queue, {}, group));
  };
  const bodiesOf = (event: SQSEvent) => event.Records.map((record) => record.body);
  const visibility = ctx.clock ? 30 : 3;
  const case_ = (
    id: string,
    text: string,
    body: (k: Kit) => Promise<void>,
    ...gates: Parameters<typeof defineCase>[4][]
  ) =>
    defineCase(
      ctx,
      id,
      text,
      async () => {
        const k = kit();
        try {
          await body(k);
        } finally {
          await k.stopAll();
        }
      },
      ...gates,
    );

  case_(
    'J61',
    'maximumConcurrency is an exact cap: 20 blocked handlers, never more than the cap at once',
    async (k) => {
      const queue = await newQueue(ctx, 'j61', { visibilityTimeoutSeconds: visibility });
      const bodies = Array.from({ length: 20 }, (_, i) => uniqueBody(`j61-${i}`));
      await sendAll(queue, bodies);
      const latch = new Latch();
      let active = 0;
      let peak = 0;
      const handled = new Set<string>();
      const consumer = await k.start(
        queue,
        async (event) => {
          active++;
          peak = Math.max(peak, active);
          await latch.promise;
          for (const body of bodiesOf(event)) handled.add(body);
          active--;
        },
        { batchSize: 1, maximumConcurrency: 10, functionTimeoutSeconds: visibility },
      );
      await until('10 handlers are in flight', () => active === 10);
      await sleep(100);
      expect(peak).toBe(10);
      latch.open();
      await until('all 20 are handled', () => handled.size === 20);
      await until('all 20 are deleted', () => consumer.metrics().NumberOfMessagesDeleted === 20);
      expect(peak).toBe(10);
      expect([...handled].sort()).toEqual([...bodies].sort());
    },
  );

  case_('J61b', 'starts at 5 concurrent batches, scales up on full batches and back down when idle', async (k) => {
    const queue = await newQueue(ctx, 'j61b', { visibilityTimeoutSeconds: visibility });
    const consumer = await k.start(queue, async () => {}, {
      batchSize: 1,
      maximumConcurrency: 50,
      functionTimeoutSeconds: 1,
    });
    expect(consumer.metrics().TargetConcurrency).toBe(5);
    await sendAll(
      queue,
      Array.from({ length: 40 }, (_, i) => uniqueBody(`j61b-${i}`)),
    );
    await until('all 40 are deleted', () => consumer.metrics().NumberOfMessagesDeleted === 40);
    expect(consumer.metrics().MaxConcurrentExecutions).toBeGreaterThanOrEqual(1);
    const grown = consumer.metrics().TargetConcurrency;
    expect(grown).toBeGreaterThan(5);
    // Idle pollers come back empty and hand their concurrency back, down to the initial five.
    if (ctx.clock) for (let i = 0; i < 40 && consumer.metrics().TargetConcurrency > 5; i++) await pass(ctx, 20);
    await until('the consumer scaled back to 5', () => consumer.metrics().TargetConcurrency === 5, 60_000);
  });

  case_('J62', 'records look exactly as Lambda delivers them', async (k) => {
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

  case_('J63', 'partial batch response: only the listed ids come back, after the visibility timeout', async (k) => {
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
    await until('the failed two were deleted on retry', () => consumer.metrics().NumberOfMessagesDeleted === 6, 20_000);
    expect(Object.fromEntries(bodies.map((b) => [b, deliveries.get(b)]))).toEqual(
      Object.fromEntries(bodies.map((b) => [b, failing.has(b) ? 2 : 1])),
    );
  });

  case_('J64', 'a thrown error returns the whole batch after the visibility timeout, not before', async (k) => {
    const queue = await newQueue(ctx, 'j64', { visibilityTimeoutSeconds: visibility });
    const bodies = Array.from({ length: 3 }, (_, i) => uniqueBody(`j64-${i}`));
    await sendAll(queue, bodies, 'j64');
    const attempts: string[][] = [];
    let fail = true;
    const errors: unknown[] = [];
    const consumer = await k.start(
      queue,
      async (event) => {
        attempts.push(event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`));
        if (fail) throw new Error('Simulated');
      },
      { batchSize: 10, functionTimeoutSeconds: visibility },
    );
    consumer.on('handlerError', (error) => errors.push(error));
    await until('the first attempts failed', () => attempts.flat().length === 3);
    expect(consumer.metrics()).toMatchObject({ Errors: attempts.length, NumberOfMessagesDeleted: 0 });
    expect(errors.length).toBe(attempts.length);
    fail = false;
    if (ctx.clock) {
      await pass(ctx, visibility - 1);
      expect(attempts.flat().length).toBe(3);
      await pass(ctx, 1);
    }
    await until('all were retried and deleted', () => consumer.metrics().NumberOfMessagesDeleted === 3, 20_000);
    const retried = attempts.flat().filter((entry) => entry.endsWith('#2'));
    expect(retried.map((entry) => entry.split('#')[0]).sort()).toEqual([...bodies].sort());
  });

  case_('J65', 'an invalid batch response (unknown or empty itemIdentifier) is a full failure', async (k) => {
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
  });

  case_('J65b', 'without ReportBatchItemFailures a returned response is ignored: the batch is deleted', async (k) => {
    const queue = await newQueue(ctx, 'j65b', { visibilityTimeoutSeconds: visibility });
    await sendAll(queue, [uniqueBody('j65b')]);
    const consumer = await k.start(
      queue,
      async (event) => ({ batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) }),
      { functionTimeoutSeconds: 1 },
    );
    await until('it was deleted', () => consumer.metrics().NumberOfMessagesDeleted === 1);
  });

  case_(
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

  case_(
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

  case_(
    'J68',
    'graceful stop: in-flight handlers finish and are deleted, nothing new is fetched, restart resumes',
    async (k) => {
      const queue = await newQueue(ctx, 'j68', { visibilityTimeoutSeconds: visibility });
      const first = uniqueBody('j68-first');
      await sendAll(queue, [first]);
      const latch = new Latch();
      const handled: string[] = [];
      let signal: AbortSignal | undefined;
      const consumer = await k.start(
        queue,
        async (event, context) => {
          signal = context.signal;
          await latch.promise;
          handled.push(...bodiesOf(event));
        },
        { functionTimeoutSeconds: visibility },
      );
      await until('the handler is in flight', () => signal !== undefined);
      let stopped = false;
      const stopping = consumer.stop({ timeoutSeconds: visibility }).then(() => {
        stopped = true;
      });
      await sleep(50);
      expect(stopped).toBe(false);
      const later = uniqueBody('j68-later');
      await sendAll(queue, [later]);
      latch.open();
      await stopping;
      expect(signal?.aborted).toBe(false);
      expect(handled).toEqual([first]);
      expect(consumer.metrics().NumberOfMessagesDeleted).toBe(1);
      const stats = await queue.getAttributes();
      expect(stats.visible + stats.inFlight).toBe(1);
      // The same consumer starts again and processes the later message exactly once.
      await consumer.start();
      await until('the later message was handled', () => handled.length === 2, 15_000);
      expect(handled).toEqual([first, later]);
    },
  );

  case_('J68b', 'stopping while a batch is being gathered releases its messages at once (visibility 0)', async (k) => {
    const queue = await newQueueOfKind(ctx, 'standard', 'j68b', { visibilityTimeoutSeconds: 300 });
    const bodies = Array.from({ length: 3 }, (_, i) => uniqueBody(`j68b-${i}`));
    await sendAll(queue, bodies);
    let invoked = 0;
    const consumer = await k.start(
      queue,
      async () => {
        invoked++;
      },
      { batchSize: 100, maximumBatchingWindowSeconds: 30, functionTimeoutSeconds: 5 },
    );
    await until('the three are gathered', () => consumer.metrics().NumberOfMessagesReceived === 3);
    await consumer.stop();
    expect(invoked).toBe(0);
    const released = await receiveExactly(ctx, queue, 3, { timeoutMs: 5_000 });
    expect(released.map((m) => m.rawBody).sort()).toEqual([...bodies].sort());
  });

  case_('J69', 'forced stop aborts handlers through their AbortSignal and never deletes their messages', async (k) => {
    const queue = await newQueue(ctx, 'j69', { visibilityTimeoutSeconds: visibility });
    const body = uniqueBody('j69');
    await sendAll(queue, [body]);
    let aborted = false;
    let started = false;
    const outcomes: string[] = [];
    const consumer = await k.start(
      queue,
      (_event, context) =>
        new Promise<void>((resolve) => {
          started = true;
          context.signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          });
        }),
      { functionTimeoutSeconds: visibility },
    );
    consumer.on('batchComplete', (event) => outcomes.push(event.outcome));
    await until('the handler is in flight', () => started);
    await consumer.stop({ force: true });
    expect(aborted).toBe(true);
    expect(outcomes).toEqual(['aborted']);
    expect(consumer.metrics().NumberOfMessagesDeleted).toBe(0);
    await pass(ctx, visibility);
    const [again] = await receiveExactly(ctx, queue, 1, { timeoutMs: 10_000 });
    expect(again?.rawBody).toBe(body);
    expect(again?.receiveCount).toBe(2);
  });

  case_(
    'J70',
    'a handler over functionTimeoutSeconds is aborted and its batch returns after the visibility timeout',
    async (k) => {
      const queue = await newQueue(ctx, 'j70', { visibilityTimeoutSeconds: visibility + 1 });
      const body = uniqueBody('j70');
      await sendAll(queue, [body]);
      const attempts: number[] = [];
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
      await until('the first attempt started', () => attempts.length === 1);
      await pass(ctx, 1);
      await until('the first attempt was aborted', () => abortedFirst);
      expect(consumer.metrics().Errors).toBe(1);
      await pass(ctx, visibility + 1);
      await until('the retry deleted it', () => consumer.metrics().NumberOfMessagesDeleted === 1, 20_000);
      expect(attempts).toEqual([1, 2]);
    },
  );

  case_(
    'J71',
    'a heartbeat keeps a long handler’s message invisible to other receivers',
    async (k) => {
      const queue = await newQueue(ctx, 'j71', { visibilityTimeoutSeconds: 2 });
      const body = uniqueBody('j71');
      await sendAll(queue, [body]);
      const latch = new Latch();
      let started = false;
      const consumer = await k.start(
        queue,
        async () => {
          started = true;
          await latch.promise;
        },
        { functionTimeoutSeconds: 30, heartbeatSeconds: 1 },
      );
      await until('the handler is in flight', () => started);
      for (let second = 0; second < 6; second++) {
        await pass(ctx, 1);
        const stolen = await queue.receive({ maxMessages: 10, waitTimeSeconds: 0 });
        expect(stolen.map((m) => m.rawBody)).toEqual([]);
      }
      latch.open();
      await until('it was deleted', () => consumer.metrics().NumberOfMessagesDeleted === 1);
      await pass(ctx, 3);
      expect(await receiveUntil(ctx, queue, 1, { timeoutMs: 2_000 })).toEqual([]);
    },
    needs(ctx, 'changeVisibility'),
  );

  case_(
    'J72',
    'guard rails: a visibility timeout below the function timeout is rejected; options are validated',
    async (k) => {
      const queue = await newQueue(ctx, 'j72', { visibilityTimeoutSeconds: 5 });
      await expectError(
        consume(queue, async () => {}, opts({ functionTimeoutSeconds: 6 })),
        'InvalidParameter',
      );
      await expectError(
        consume(queue, async () => {}, opts({ maximumConcurrency: 1 })),
        'InvalidParameter',
      );
      await expectError(
        consume(queue, async () => {}, opts({ batchSize: 11 })),
        'InvalidParameter',
      );
      await expectError(
        consume(queue, async () => {}, opts({ heartbeatSeconds: 5 })),
        'InvalidParameter',
      );
      const warnings: string[] = [];
      const consumer = await consume(queue, async () => {}, opts({ functionTimeoutSeconds: 5 }));
      k.track(consumer);
      consumer.on('warning', (message) => warnings.push(message));
      await sleep(20);
      expect(warnings.join()).toMatch(/6 × the function timeout/);
    },
  );

  case_('J73', 'metrics: CloudWatch-named queue metrics and consumer metrics add up', async (k) => {
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
}
