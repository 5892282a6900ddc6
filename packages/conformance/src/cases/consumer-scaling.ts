import type { ConsumerMetrics } from '@msgport/core';
import { expect } from 'vitest';
import { bodiesOf, consumerCase, consumerVisibility, Latch, sendAll, until } from '../support/consumers.js';
import type { CaseContext } from '../support/context.js';
import { uniqueBody } from '../support/names.js';
import { newQueue, sendOptions } from '../support/resources.js';
import { pass, sleep } from '../support/timing.js';

/**
 * Waits until `predicate` holds while time passes: on a manual clock it advances a quarter second
 * per look (scaling is paced by the clock), in real time it just waits.
 */
async function untilAfterTime(ctx: CaseContext, what: string, predicate: () => boolean, timeoutMs = 15_000) {
  if (!ctx.clock) return until(what, predicate, timeoutMs);
  for (let i = 0; i < 400 && !predicate(); i++) await pass(ctx, 0.25);
  expect(predicate(), `timed out waiting until ${what}`).toBe(true);
}

/** Pollers equal the target, which is at least one: what a running consumer always satisfies. */
function expectScalingInvariant(consumer: { metrics(): ConsumerMetrics; readonly running: boolean }): void {
  const metrics = consumer.metrics();
  expect(consumer.running).toBe(true);
  expect(metrics.TargetConcurrency).toBeGreaterThanOrEqual(1);
  expect(metrics.Pollers).toBe(metrics.TargetConcurrency);
}

/** J (scaling). Concurrency as the event source mapping manages it: cap, start, growth rate, backoff. */
export function consumerScalingCases(ctx: CaseContext): void {
  const visibility = consumerVisibility(ctx);

  consumerCase(
    ctx,
    'J61',
    'maximumConcurrency is an exact cap: 20 blocked handlers, never more than the cap at once',
    async (k) => {
      const queue = await newQueue(ctx, 'j61', { visibilityTimeoutSeconds: 60 });
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
        { batchSize: 1, maximumConcurrency: 10, functionTimeoutSeconds: 60, scaleUpPerMinute: 6_000 },
      );
      await untilAfterTime(ctx, '10 handlers are in flight', () => active === 10);
      await sleep(100);
      if (ctx.clock) await pass(ctx, 2);
      expect(peak).toBe(10);
      expect(consumer.metrics().TargetConcurrency).toBe(10);
      latch.open();
      await until('all 20 are handled', () => handled.size === 20);
      await until('all 20 are deleted', () => consumer.metrics().NumberOfMessagesDeleted === 20);
      expect(peak).toBe(10);
      expect([...handled].sort()).toEqual([...bodies].sort());
    },
  );

  consumerCase(
    ctx,
    'J61b',
    'starts at 5, grows while batches come back full, and shrinks back to 5 when idle',
    async (k) => {
      // Long enough that no blocked handler times out, even on a loaded machine.
      const queue = await newQueue(ctx, 'j61b', { visibilityTimeoutSeconds: 30 });
      const latch = new Latch();
      const consumer = await k.start(queue, () => latch.promise, {
        batchSize: 1,
        maximumConcurrency: 50,
        functionTimeoutSeconds: 30,
        scaleUpPerMinute: 6_000,
      });
      expect(consumer.metrics().TargetConcurrency).toBe(5);
      await sendAll(
        queue,
        Array.from({ length: 40 }, (_, i) => uniqueBody(`j61b-${i}`)),
      );
      await untilAfterTime(ctx, 'the consumer grew', () => consumer.metrics().TargetConcurrency > 5);
      latch.open();
      await until(
        () => `all 40 are deleted (${JSON.stringify(consumer.metrics())})`,
        () => consumer.metrics().NumberOfMessagesDeleted === 40,
        30_000,
      );
      expectScalingInvariant(consumer);
      // Idle pollers come back empty and hand their concurrency back, down to the initial five.
      if (ctx.clock) for (let i = 0; i < 40 && consumer.metrics().TargetConcurrency > 5; i++) await pass(ctx, 20);
      await until('the consumer scaled back to 5', () => consumer.metrics().TargetConcurrency === 5, 60_000);
      expectScalingInvariant(consumer);
    },
  );

  consumerCase(
    ctx,
    'J61c',
    'by default concurrency grows by at most 300 a minute (5 a second), as AWS documents',
    async (k) => {
      const queue = await newQueue(ctx, 'j61c', { visibilityTimeoutSeconds: 120 });
      const messages = ctx.clock ? 400 : 60;
      for (let sent = 0; sent < messages; sent += 10) {
        await queue.sendBatch(
          Array.from({ length: 10 }, (_, i) => ({ ...sendOptions(queue), id: `m${i}`, body: uniqueBody(`j61c-${i}`) })),
        );
      }
      const latch = new Latch();
      const consumer = await k.start(queue, () => latch.promise, {
        batchSize: 1,
        maximumConcurrency: 1_000,
        functionTimeoutSeconds: 120,
      });
      const started = Date.now();
      if (ctx.clock) {
        // Exact on a manual clock: one poller every 200 ms while every receive comes back full.
        await pass(ctx, 10);
        expect(consumer.metrics().TargetConcurrency).toBe(5 + 50);
        await pass(ctx, 50);
        expect(consumer.metrics().TargetConcurrency).toBe(5 + 300);
      } else {
        await sleep(2_000);
        const elapsedSeconds = (Date.now() - started) / 1000;
        const target = consumer.metrics().TargetConcurrency;
        expect(target).toBeGreaterThan(5);
        expect(target).toBeLessThanOrEqual(5 + Math.ceil(elapsedSeconds * 5) + 1);
      }
      expectScalingInvariant(consumer);
      latch.open();
    },
  );

  consumerCase(
    ctx,
    'J61d',
    'simultaneous whole-batch failures halve the concurrency but never stop polling: every message is handled',
    async (k) => {
      const queue = await newQueue(ctx, 'j61d', { visibilityTimeoutSeconds: visibility });
      const bodies = Array.from({ length: 40 }, (_, i) => uniqueBody(`j61d-${i}`));
      for (let i = 0; i < bodies.length; i += 10) {
        await queue.sendBatch(bodies.slice(i, i + 10).map((body, j) => ({ ...sendOptions(queue), id: `m${j}`, body })));
      }
      // The first two batches wait for each other, then throw in the same tick.
      const bothIn = new Latch();
      let failing = 0;
      const handled = new Set<string>();
      const errors: unknown[] = [];
      const targets: number[] = [];
      const consumer = await k.start(
        queue,
        async (event) => {
          if (failing < 2) {
            failing++;
            if (failing === 2) bothIn.open();
            await bothIn.promise;
            throw new Error('simultaneous failure');
          }
          for (const body of bodiesOf(event)) handled.add(body);
        },
        { batchSize: 10, maximumConcurrency: 2, functionTimeoutSeconds: visibility },
      );
      consumer.on('handlerError', (error) => errors.push(error));
      consumer.on('concurrency', (target) => targets.push(target));
      await until('both first batches failed', () => errors.length === 2);
      expectScalingInvariant(consumer);
      expect(targets).toContain(1);
      await pass(ctx, visibility);
      await until('every message was handled', () => handled.size === 40, 30_000);
      await until('every message was deleted', () => consumer.metrics().NumberOfMessagesDeleted === 40);
      expectScalingInvariant(consumer);
      expect(consumer.metrics().Errors).toBe(2);
    },
  );
}
