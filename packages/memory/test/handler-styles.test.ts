import { consume, type SQSHandler } from '@msgport/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBroker } from '../src/index.js';

/** Every way a Lambda handler can answer, through consume(): promise, callback, sync value, throw. */

const brokers: ReturnType<typeof createMemoryBroker>[] = [];
afterEach(async () => {
  await Promise.all(brokers.splice(0).map((broker) => broker.close()));
});

interface Outcome {
  readonly outcome: string;
  readonly deleted: number;
  readonly failed: number;
  readonly errors: string[];
}

async function firstBatch(handler: SQSHandler, bodies: string[] = ['ok', 'bad']): Promise<Outcome> {
  const broker = createMemoryBroker({ logger: false });
  brokers.push(broker);
  const queue = await broker.createQueue('styles', { visibilityTimeoutSeconds: 60 });
  await queue.sendBatch(bodies.map((body, index) => ({ id: `m${index}`, body })));
  const consumer = await consume(queue, handler, {
    batchSize: 10,
    maximumBatchingWindowSeconds: 1,
    functionTimeoutSeconds: 5,
    functionResponseTypes: ['ReportBatchItemFailures'],
    logger: false,
  });
  const errors: string[] = [];
  consumer.on('handlerError', (error) => errors.push(error instanceof Error ? error.message : String(error)));
  const outcome = await new Promise<Outcome>((resolve) =>
    consumer.once('batchComplete', (event) =>
      resolve({ outcome: event.outcome, deleted: event.deleted, failed: event.failed, errors }),
    ),
  );
  await consumer.stop({ force: true });
  return outcome;
}

const failBad: SQSHandler = async (event) => ({
  batchItemFailures: event.Records.filter((record) => record.body === 'bad').map((record) => ({
    itemIdentifier: record.messageId,
  })),
});

describe('handler styles (memory)', () => {
  it('an async handler: its resolved batch response is the answer', async () => {
    expect(await firstBatch(failBad)).toMatchObject({ outcome: 'partial', deleted: 1, failed: 1 });
  });

  it('an async handler that rejects fails the whole batch, visibly', async () => {
    const result = await firstBatch(async () => {
      throw new Error('boom');
    });
    expect(result).toMatchObject({ outcome: 'failure', deleted: 0, failed: 2 });
    expect(result.errors).toContain('boom');
  });

  it('a synchronous handler that throws fails the whole batch, visibly', async () => {
    const result = await firstBatch(() => {
      throw new Error('sync boom');
    });
    expect(result).toMatchObject({ outcome: 'failure', deleted: 0 });
    expect(result.errors).toContain('sync boom');
  });

  it('a synchronous handler that returns nothing succeeds', async () => {
    expect(await firstBatch(() => undefined)).toMatchObject({ outcome: 'success', deleted: 2 });
  });

  it('a callback handler answers through its callback, later than it returns', async () => {
    const viaCallback: SQSHandler = (event, _context, callback) => {
      setTimeout(
        () => callback(null, { batchItemFailures: [{ itemIdentifier: event.Records[1]?.messageId ?? '' }] }),
        5,
      );
    };
    expect(await firstBatch(viaCallback)).toMatchObject({ outcome: 'partial', deleted: 1, failed: 1 });
  });

  it('a callback handler that passes an error (or a string) fails the batch', async () => {
    const withError: SQSHandler = (_event, _context, callback) => callback(new Error('cb boom'));
    const withString: SQSHandler = (_event, _context, callback) => {
      setTimeout(() => callback('cb text'), 1);
    };
    const first = await firstBatch(withError);
    expect(first).toMatchObject({ outcome: 'failure', deleted: 0 });
    expect(first.errors).toContain('cb boom');
    expect((await firstBatch(withString)).errors).toContain('cb text');
  });

  it('a handler that calls a callback it did not declare fails its batch with a message that says so', async () => {
    const undeclared = ((...args: unknown[]) => {
      (args[2] as () => void)();
    }) as SQSHandler;
    const result = await firstBatch(undeclared);
    expect(result).toMatchObject({ outcome: 'failure', deleted: 0 });
    expect(result.errors.join()).toMatch(/called its callback without declaring it/);
  });
});
