import {
  consume,
  consumeMessages,
  createStderrLogger,
  type LogFields,
  type Logger,
  ManualClock,
  type StoppedEvent,
} from '@msgport/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBroker } from '../src/index.js';

/**
 * The consumer's lifecycle and its reports on the reference transport with a manual clock:
 * broker close, stop deadlines, backoff without leaks, and what reaches the logger.
 */

type Line = { level: string; message: string; fields?: LogFields };

function capturingLogger(): Logger & { readonly lines: Line[] } {
  const lines: Line[] = [];
  const at =
    (level: string) =>
    (message: string, fields?: LogFields): void => {
      lines.push(fields === undefined ? { level, message } : { level, message, fields });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const processWarnings: Error[] = [];
const onWarning = (warning: Error) => processWarnings.push(warning);
process.on('warning', onWarning);
afterEach(() => {
  processWarnings.length = 0;
});

describe('consumer lifecycle (memory, manual clock)', () => {
  it('closing the broker under a heartbeating handler waits for it (up to the function timeout), then stops the consumer (brokerClosed)', async () => {
    const clock = new ManualClock();
    const broker = createMemoryBroker({ clock, logger: false });
    const queue = await broker.createQueue('orders', { visibilityTimeoutSeconds: 10 });
    await queue.send('slow');
    let started = false;
    const consumer = await consume(
      queue,
      () =>
        new Promise<void>(() => {
          started = true; // never settles, ignores its signal
        }),
      { clock, functionTimeoutSeconds: 5, heartbeatSeconds: 2, waitTimeSeconds: 20, logger: false },
    );
    const stopped: StoppedEvent[] = [];
    consumer.on('stopped', (event) => stopped.push(event));
    const transportErrors: unknown[] = [];
    consumer.on('transportError', (error) => transportErrors.push(error));
    await clock.advance(0);
    expect(started).toBe(true);
    let closed = false;
    const closing = broker.close().then(() => {
      closed = true;
    });
    await clock.advance(3);
    expect(closed).toBe(false);
    await clock.advance(3);
    await closing;
    // The handler timed out at 5 s (a handler failure, not a forced stop): nothing was deleted.
    expect(stopped).toEqual([{ reason: 'brokerClosed', forced: false }]);
    expect(consumer.running).toBe(false);
    expect(consumer.metrics()).toMatchObject({ Errors: 1, NumberOfMessagesDeleted: 0 });
    // The heartbeat beat while the handler ran and never after: nothing failed, nothing dangles.
    expect(transportErrors).toEqual([]);
    await clock.advance(60);
  });

  it('a stop deadline aborts handlers that outlive it and deletes none of their messages', async () => {
    const clock = new ManualClock();
    const broker = createMemoryBroker({ clock, logger: false });
    const queue = await broker.createQueue('orders', { visibilityTimeoutSeconds: 60 });
    await queue.send('stuck');
    let signal: AbortSignal | undefined;
    const consumer = await consume(
      queue,
      (_event, context) => {
        signal = context.signal;
        return new Promise<void>(() => {});
      },
      { clock, functionTimeoutSeconds: 30, logger: false },
    );
    const stopped: StoppedEvent[] = [];
    consumer.on('stopped', (event) => stopped.push(event));
    await clock.advance(0);
    const stopping = consumer.stop({ timeoutSeconds: 2 });
    await clock.advance(1);
    expect(signal?.aborted).toBe(false);
    await clock.advance(1);
    await stopping;
    expect(signal?.aborted).toBe(true);
    expect(stopped).toEqual([{ reason: 'stop', forced: true }]);
    expect((await queue.getAttributes()).inFlight).toBe(1);
    await broker.close();
  });

  it('a queue deleted under 50 pollers: exponential backoff, reported once per failure, no listener leak', async () => {
    const clock = new ManualClock();
    const logger = capturingLogger();
    const broker = createMemoryBroker({ clock, logger });
    const queue = await broker.createQueue('gone', { visibilityTimeoutSeconds: 60 });
    const consumer = await consume(queue, async () => {}, {
      clock,
      maximumConcurrency: 50,
      functionTimeoutSeconds: 10,
      waitTimeSeconds: 1,
    });
    const errors: string[] = [];
    consumer.on('transportError', (error) => errors.push(error.code));
    await broker.deleteQueue('gone');
    // Five pollers; each waits 1, 2, 4, 8, 16, 32, 60, 60… s: about 9 failures each in 5 minutes.
    for (let second = 0; second < 300; second += 5) await clock.advance(5);
    expect(errors.every((code) => code === 'QueueDoesNotExist')).toBe(true);
    expect(errors.length).toBeGreaterThanOrEqual(5 * 6);
    expect(errors.length).toBeLessThanOrEqual(5 * 11);
    const logged = logger.lines.filter((line) => line.message === 'consumer receive failed');
    expect(logged).toHaveLength(errors.length);
    expect(logged[0]).toMatchObject({ level: 'error', fields: { queue: 'gone', code: 'QueueDoesNotExist' } });
    expect(processWarnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
    expect(consumer.metrics().Pollers).toBe(5);
    await consumer.stop();
    await broker.close();
  });

  it('handler failures and guard-rail warnings reach the logger, one line each; logger: false silences', async () => {
    const clock = new ManualClock();
    const logger = capturingLogger();
    const broker = createMemoryBroker({ clock, logger });
    const queue = await broker.createQueue('orders', { visibilityTimeoutSeconds: 10 });
    const [sent] = (await queue.sendBatch([{ id: 'a', body: 'boom' }])).successful;
    const consumer = await consumeMessages(
      queue,
      async () => {
        throw new Error('handler exploded');
      },
      { clock, functionTimeoutSeconds: 5 },
    );
    await clock.advance(0);
    const failures = logger.lines.filter((line) => line.message.startsWith('consumer handler failed'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      level: 'error',
      fields: {
        queue: 'orders',
        messageIds: [sent?.messageId],
        error: expect.objectContaining({ message: 'handler exploded' }),
      },
    });
    expect(logger.lines.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([
      expect.stringMatching(/6 × the function timeout/),
    ]);
    await consumer.stop();

    const silent = capturingLogger();
    const quietBroker = createMemoryBroker({ clock, logger: silent });
    const quietQueue = await quietBroker.createQueue('quiet', { visibilityTimeoutSeconds: 10 });
    await quietQueue.send('boom');
    const quiet = await consume(
      quietQueue,
      async () => {
        throw new Error('unseen');
      },
      { clock, functionTimeoutSeconds: 5, logger: false },
    );
    await clock.advance(0);
    expect(quiet.metrics().Errors).toBe(1);
    expect(silent.lines).toEqual([]);
    await quiet.stop();
    await broker.close();
    await quietBroker.close();
  });

  it('the default stderr logger prints one line per failure, rate-limited', async () => {
    const clock = new ManualClock();
    const written: string[] = [];
    const logger = createStderrLogger({ write: (line) => written.push(line), now: () => clock.now() });
    const broker = createMemoryBroker({ clock, logger: false });
    const queue = await broker.createQueue('orders', { visibilityTimeoutSeconds: 10 });
    for (let i = 0; i < 40; i++) await queue.send(`m${i}`);
    const consumer = await consume(
      queue,
      async () => {
        throw new Error('always');
      },
      { clock, batchSize: 1, functionTimeoutSeconds: 5, logger, maximumConcurrency: 20 },
    );
    for (let i = 0; i < 6; i++) await clock.advance(11);
    expect(consumer.metrics().Errors).toBeGreaterThan(20);
    const lines = written.filter((line) => line.includes('consumer handler failed'));
    expect(lines.length).toBeLessThanOrEqual(5 * 7 + 7);
    expect(lines.every((line) => line.endsWith('\n') && line.indexOf('\n') === line.length - 1)).toBe(true);
    expect(written.some((line) => line.includes('more like this not shown'))).toBe(true);
    await consumer.stop();
    await broker.close();
  });
});
