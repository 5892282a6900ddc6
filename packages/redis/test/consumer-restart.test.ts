import { connect, consume, type LogFields, type Logger, type MsgportError, type Queue } from '@msgport/core';
import { describe, expect, inject, it } from 'vitest';
import '../src/index.js';
import { sleep } from './support/env.js';
import { PrivateRedis } from './support/redis-server.js';

const noBinaries = !inject('redisBinaries');

/** A logger that keeps what it is told, so the test can see what an operator would see. */
function capturingLogger(): Logger & { readonly lines: { level: string; message: string; fields?: LogFields }[] } {
  const lines: { level: string; message: string; fields?: LogFields }[] = [];
  const log =
    (level: string) =>
    (message: string, fields?: LogFields): void => {
      lines.push(fields === undefined ? { level, message } : { level, message, fields });
    };
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** Counts every receive the consumer makes, through the real handle (a spy, not a stub). */
function countReceives<T>(queue: Queue<T>): { readonly count: () => number } {
  let count = 0;
  const receive = queue.receive.bind(queue);
  queue.receive = (options) => {
    count++;
    return receive(options);
  };
  return { count: () => count };
}

describe.skipIf(noBinaries)('a consumer under a Redis restart without persistence', () => {
  it('backs off while the queue is gone (no spin), reports it, and resumes when the queue is back', async () => {
    const server = await PrivateRedis.start({ appendOnly: false });
    const logger = capturingLogger();
    const broker = await connect(`${server.url}?prefix=consumer-restart:`, { logger });
    try {
      const queue = await broker.createQueue('orders', { visibilityTimeoutSeconds: 10 });
      const handled: string[] = [];
      const errors: MsgportError[] = [];
      const handle = broker.queue('orders');
      const receives = countReceives(handle);
      const consumer = await consume(
        handle,
        async (event) => {
          for (const record of event.Records) handled.push(record.body);
        },
        { waitTimeSeconds: 1, functionTimeoutSeconds: 1, maximumConcurrency: 5 },
      );
      consumer.on('warning', () => undefined);
      consumer.on('transportError', (error) => errors.push(error));
      await queue.send('before');
      const deadline = Date.now() + 10_000;
      while (!handled.includes('before') && Date.now() < deadline) await sleep(20);
      expect(handled).toEqual(['before']);

      // Crash and restart empty: the queue no longer exists.
      await server.kill();
      await sleep(300);
      await server.start();
      const restartedAt = Date.now();
      const before = receives.count();
      await sleep(8_000);
      const attempts = receives.count() - before;
      const seconds = (Date.now() - restartedAt) / 1000;
      console.log(`[consumer-restart] ${attempts} receives in ${seconds.toFixed(1)} s after the restart (5 pollers)`);
      // Five pollers, each waiting 1, 2, 4 s … after a failure: about four tries each in 8 s. A spin
      // (the old behaviour: ~5 a second per poller) would be ~200.
      expect(attempts).toBeLessThanOrEqual(5 * 6);
      expect(consumer.running).toBe(true);
      expect(consumer.metrics().Pollers).toBe(consumer.metrics().TargetConcurrency);
      expect(errors.some((error) => error.code === 'QueueDoesNotExist')).toBe(true);
      const missing = logger.lines.find((line) => line.fields?.code === 'QueueDoesNotExist');
      expect(missing?.level).toBe('error');

      // An operator re-creates the queue: the consumer picks work up again by itself.
      const again = await broker.createQueue('orders', { visibilityTimeoutSeconds: 10 });
      await again.send('after');
      const resumeDeadline = Date.now() + 30_000;
      while (!handled.includes('after') && Date.now() < resumeDeadline) await sleep(50);
      expect(handled).toEqual(['before', 'after']);
      await consumer.stop();
    } finally {
      await broker.close();
      await server.destroy();
    }
  }, 60_000);
});
