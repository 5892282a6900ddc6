import { consume } from '@msgport/core';
import { expect } from 'vitest';
import { bodiesOf, consumerCase, consumerVisibility, Latch, sendAll, until } from '../support/consumers.js';
import type { CaseContext } from '../support/context.js';
import { expectError } from '../support/errors.js';
import { needs } from '../support/gates.js';
import { uniqueBody } from '../support/names.js';
import { receiveExactly, receiveUntil } from '../support/receive.js';
import { newQueue, newQueueOfKind } from '../support/resources.js';
import { pass, sleep } from '../support/timing.js';

/**
 * J (lifecycle). Starting and stopping: guard rails, graceful and forced stop, the heartbeat, and
 * a broker that closes under its consumers.
 */
export function consumerLifecycleCases(ctx: CaseContext): void {
  const visibility = consumerVisibility(ctx);

  consumerCase(
    ctx,
    'J68',
    'graceful stop: in-flight handlers finish and are deleted, no new receive starts, restart resumes',
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
      // A receive in flight when stop() began may still return the later message: on SQS receives
      // are not cut short, and elsewhere the message can be on its way to the poll when the abort
      // is sent (handing it back would count a receive for nothing). It is then handled before
      // stop() resolves — never dropped, never handled twice.
      expect([[first], [first, later]]).toContainEqual(handled);
      expect(consumer.metrics().NumberOfMessagesDeleted).toBe(handled.length);
      const stats = await queue.getAttributes();
      expect(stats.visible + stats.inFlight).toBe(2 - handled.length);
      // The same consumer starts again and processes the later message exactly once.
      await consumer.start();
      await until('the later message was handled', () => handled.length === 2, 15_000);
      expect(handled).toEqual([first, later]);
    },
  );

  consumerCase(ctx, 'J68b', 'stopping while a batch is being gathered hands it to the handler at once', async (k) => {
    const queue = await newQueueOfKind(ctx, 'standard', 'j68b', { visibilityTimeoutSeconds: 300 });
    const bodies = Array.from({ length: 3 }, (_, i) => uniqueBody(`j68b-${i}`));
    await sendAll(queue, bodies);
    const handled: string[][] = [];
    const consumer = await k.start(
      queue,
      async (event) => {
        handled.push(bodiesOf(event));
      },
      { batchSize: 100, maximumBatchingWindowSeconds: 30, functionTimeoutSeconds: 5 },
    );
    await until('the three are gathered', () => consumer.metrics().NumberOfMessagesReceived === 3);
    await consumer.stop();
    expect(handled.map((batch) => batch.sort())).toEqual([[...bodies].sort()]);
    expect(consumer.metrics().NumberOfMessagesDeleted).toBe(3);
    expect(await receiveUntil(ctx, queue, 1, { timeoutMs: 1_000 })).toEqual([]);
  });

  consumerCase(
    ctx,
    'J68c',
    'a forced stop while a batch is being gathered releases its messages at once (visibility 0)',
    async (k) => {
      const queue = await newQueueOfKind(ctx, 'standard', 'j68c', { visibilityTimeoutSeconds: 300 });
      const bodies = Array.from({ length: 3 }, (_, i) => uniqueBody(`j68c-${i}`));
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
      await consumer.stop({ force: true });
      expect(invoked).toBe(0);
      const released = await receiveExactly(ctx, queue, 3, { timeoutMs: 5_000 });
      expect(released.map((m) => m.rawBody).sort()).toEqual([...bodies].sort());
    },
  );

  consumerCase(
    ctx,
    'J68d',
    'a quiet stop: a message sent right after stop() resolves goes to the next receiver with receiveCount 1',
    async (k) => {
      const queue = await newQueue(ctx, 'j68d', { visibilityTimeoutSeconds: visibility });
      const consumer = await k.start(queue, async () => {}, { functionTimeoutSeconds: 1 });
      // Let every poller settle into its long poll before stopping.
      await sleep(200);
      if (ctx.clock) await pass(ctx, 1);
      await consumer.stop();
      expect(consumer.running).toBe(false);
      const body = uniqueBody('j68d');
      await sendAll(queue, [body]);
      const [next] = await receiveExactly(ctx, queue, 1, { timeoutMs: 5_000 });
      expect(next?.rawBody).toBe(body);
      expect(next?.receiveCount).toBe(1);
      expect(consumer.metrics().NumberOfMessagesReceived).toBe(0);
    },
  );

  consumerCase(
    ctx,
    'J68e',
    'closing the broker stops its consumers gracefully, with a stopped event that says why',
    async (k) => {
      const other = await ctx.connectAnother();
      try {
        const queue = await other.createQueue(`mpc-j68e-${Date.now().toString(36)}`, {
          visibilityTimeoutSeconds: visibility,
        });
        ctx.track('queue', queue.name);
        const body = uniqueBody('j68e');
        await sendAll(queue, [body]);
        const latch = new Latch();
        let started = false;
        const stopped: unknown[] = [];
        const consumer = k.track(
          await consume(
            queue,
            async () => {
              started = true;
              await latch.promise;
            },
            k.opts({ functionTimeoutSeconds: visibility }),
          ),
        );
        consumer.on('stopped', (event) => stopped.push(event));
        await until('the handler is in flight', () => started);
        const closing = other.close();
        await sleep(20);
        latch.open();
        await closing;
        expect(consumer.running).toBe(false);
        expect(stopped).toEqual([{ reason: 'brokerClosed', forced: false }]);
        expect(consumer.metrics().NumberOfMessagesDeleted).toBe(1);
        await expectError(
          consume(queue, async () => {}, k.opts({})),
          'Closed',
        );
      } finally {
        await other.close();
      }
    },
  );

  consumerCase(
    ctx,
    'J69',
    'forced stop aborts handlers through their AbortSignal and never deletes their messages',
    async (k) => {
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
    },
  );

  consumerCase(
    ctx,
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

  consumerCase(
    ctx,
    'J72',
    'guard rails: a visibility timeout below the function timeout is rejected; options are validated',
    async (k) => {
      const queue = await newQueue(ctx, 'j72', { visibilityTimeoutSeconds: 5 });
      await expectError(
        consume(queue, async () => {}, k.opts({ functionTimeoutSeconds: 6 })),
        'InvalidParameter',
      );
      await expectError(
        consume(queue, async () => {}, k.opts({ maximumConcurrency: 1 })),
        'InvalidParameter',
      );
      await expectError(
        consume(queue, async () => {}, k.opts({ batchSize: 11 })),
        'InvalidParameter',
      );
      await expectError(
        consume(queue, async () => {}, k.opts({ heartbeatSeconds: 5 })),
        'InvalidParameter',
      );
      const warnings: string[] = [];
      const consumer = await consume(queue, async () => {}, k.opts({ functionTimeoutSeconds: 5 }));
      k.track(consumer);
      consumer.on('warning', (message) => warnings.push(message));
      await sleep(20);
      expect(warnings.join()).toMatch(/6 × the function timeout/);
    },
  );
}
