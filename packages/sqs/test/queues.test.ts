import { type Broker, isMsgportError } from '@msgport/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqsNative } from '../src/index.js';
import { connectFauxqs, noFauxqs, uniqueName } from './support/fauxqs.js';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return isMsgportError(error) ? error.code : `raw: ${String(error)}`;
  }
}

describe.skipIf(noFauxqs)('SQS queues: lifecycle and attributes', () => {
  let broker: Broker;
  beforeAll(async () => {
    broker = await connectFauxqs();
  });
  afterAll(async () => {
    await broker?.close();
  });

  it('maps every msgport queue setting to SQS attributes and back', async () => {
    const dlq = uniqueName('cfg-dlq', true);
    await broker.createQueue(dlq, { fifo: true });
    const name = uniqueName('cfg', true);
    const queue = await broker.createQueue(name, {
      fifo: true,
      visibilityTimeoutSeconds: 45,
      delaySeconds: 3,
      retentionSeconds: 3600,
      maxMessageBytes: 2048,
      receiveWaitTimeSeconds: 2,
      deadLetter: { queue: dlq, maxReceiveCount: 4 },
      contentBasedDeduplication: true,
      deduplicationScope: 'messageGroup',
    });
    const attributes = await queue.getAttributes();
    expect(attributes.config).toEqual({
      fifo: true,
      visibilityTimeoutSeconds: 45,
      delaySeconds: 3,
      retentionSeconds: 3600,
      maxMessageBytes: 2048,
      receiveWaitTimeSeconds: 2,
      deadLetter: { queue: dlq, maxReceiveCount: 4 },
      contentBasedDeduplication: true,
      deduplicationScope: 'messageGroup',
      fifoThroughputLimit: 'perQueue',
    });
    expect(attributes.createdAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(attributes.createdAt.getTime()).toBeLessThanOrEqual(Date.now());

    // the SQS view: RedrivePolicy JSON with the DLQ's ARN
    const { sqs } = broker.native() as SqsNative;
    const { GetQueueAttributesCommand, GetQueueUrlCommand } = await import('@aws-sdk/client-sqs');
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    const raw = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['RedrivePolicy'] }));
    expect(JSON.parse(raw.Attributes?.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: `arn:aws:sqs:us-east-1:000000000000:${dlq}`,
      maxReceiveCount: 4,
    });
  });

  it('applies SQS defaults', async () => {
    const queue = await broker.createQueue(uniqueName('defaults'));
    expect((await queue.getAttributes()).config).toEqual({
      fifo: false,
      visibilityTimeoutSeconds: 30,
      delaySeconds: 0,
      retentionSeconds: 345_600,
      maxMessageBytes: 1_048_576,
      receiveWaitTimeSeconds: 0,
      contentBasedDeduplication: false,
      deduplicationScope: 'queue',
      fifoThroughputLimit: 'perQueue',
    });
  });

  it('creates idempotently and rejects the same name with other settings', async () => {
    const dlq = uniqueName('idem-dlq');
    await broker.createQueue(dlq);
    const name = uniqueName('idem');
    await broker.createQueue(name, { visibilityTimeoutSeconds: 10, deadLetter: { queue: dlq, maxReceiveCount: 3 } });
    await broker.createQueue(name, { visibilityTimeoutSeconds: 10, deadLetter: { queue: dlq, maxReceiveCount: 3 } });
    expect(await codeOf(broker.createQueue(name, { visibilityTimeoutSeconds: 11 }))).toBe('QueueAlreadyExists');
    // an attribute SQS would not compare because the request leaves it out (no RedrivePolicy)
    expect(await codeOf(broker.createQueue(name, { visibilityTimeoutSeconds: 10 }))).toBe('QueueAlreadyExists');
  });

  it('lists by prefix and deletes', async () => {
    const prefix = uniqueName('list');
    await broker.createQueue(`${prefix}-b`);
    await broker.createQueue(`${prefix}-a`);
    await broker.createQueue(`${prefix}-c.fifo`, { fifo: true });
    expect(await broker.listQueues(prefix)).toEqual([`${prefix}-a`, `${prefix}-b`, `${prefix}-c.fifo`]);
    await broker.deleteQueue(`${prefix}-b`);
    expect(await broker.listQueues(prefix)).toEqual([`${prefix}-a`, `${prefix}-c.fifo`]);
    expect(await codeOf(broker.deleteQueue(`${prefix}-b`))).toBe('QueueDoesNotExist');
  });

  it('fails fast on a missing queue, for every operation', async () => {
    const queue = broker.queue(uniqueName('nowhere'));
    for (const operation of [
      () => queue.send('x'),
      () => queue.receive({ waitTimeSeconds: 20 }),
      () => queue.getAttributes(),
      () => queue.purge(),
      () => queue.deleteBatch([{ id: 'a', receiptHandle: 'h' }]),
    ]) {
      const started = Date.now();
      expect(await codeOf(operation())).toBe('QueueDoesNotExist');
      expect(Date.now() - started).toBeLessThan(5000);
    }
  });

  it('forgets a cached URL when the queue is deleted elsewhere', async () => {
    const name = uniqueName('stale-url');
    const queue = await broker.createQueue(name);
    await queue.send('cached');
    const other = await connectFauxqs();
    await other.deleteQueue(name);
    await other.close();
    expect(await codeOf(queue.send('gone'))).toBe('QueueDoesNotExist');
    await broker.createQueue(name);
    await queue.send('back');
    expect((await queue.receive({ waitTimeSeconds: 1 }))[0]?.body).toBe('back');
  });

  it('reports approximate counts: visible, in flight, delayed', async () => {
    const queue = await broker.createQueue(uniqueName('stats'));
    await queue.sendBatch([
      { id: 'a', body: 'a' },
      { id: 'b', body: 'b' },
      { id: 'c', body: 'c' },
      { id: 'd', body: 'd', delaySeconds: 60 },
    ]);
    await queue.receive({ maxMessages: 1 });
    const stats = await queue.getAttributes();
    expect({ visible: stats.visible, inFlight: stats.inFlight, delayed: stats.delayed }).toEqual({
      visible: 2,
      inFlight: 1,
      delayed: 1,
    });
  });
});
