import { GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { type Broker, isMsgportError, type Queue } from '@msgport/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFauxqs, noFauxqs, type SqsNative, uniqueName } from './support/broker.js';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return isMsgportError(error) ? error.code : `raw: ${String(error)}`;
  }
}

async function receiveAll(queue: Queue, expected: number): Promise<string[]> {
  const bodies: string[] = [];
  for (let i = 0; i < 10 && bodies.length < expected; i++) {
    const batch = await queue.receive({ maxMessages: 10, waitTimeSeconds: 1 });
    for (const m of batch) {
      bodies.push(m.body);
      await queue.delete(m);
    }
  }
  return bodies;
}

describe.skipIf(noFauxqs)('SNS topics', () => {
  let broker: Broker;
  beforeAll(async () => {
    broker = await connectFauxqs();
  });
  afterAll(async () => {
    await broker?.close();
  });

  it('creates, reads, lists and deletes topics', async () => {
    const prefix = uniqueName('life');
    await broker.createTopic(`${prefix}-std`);
    await broker.createTopic(`${prefix}-std`);
    await broker.createTopic(`${prefix}-f.fifo`, { contentBasedDeduplication: true });
    expect(await broker.listTopics(prefix)).toEqual([`${prefix}-f.fifo`, `${prefix}-std`]);
    const fresh = await connectFauxqs();
    try {
      // another broker finds the ARN by listing topics
      await fresh.topic(`${prefix}-std`).publish('found by name');
    } finally {
      await fresh.close();
    }
    expect(await codeOf(broker.createTopic(`${prefix}-f.fifo`, { contentBasedDeduplication: false }))).toBe(
      'InvalidParameter',
    );
    await broker.deleteTopic(`${prefix}-std`);
    await broker.deleteTopic(`${prefix}-std`);
    expect(await broker.listTopics(prefix)).toEqual([`${prefix}-f.fifo`]);
    expect(await codeOf(broker.topic(`${prefix}-std`).publish('x'))).toBe('TopicDoesNotExist');
    expect(await codeOf(broker.topic(uniqueName('never')).publish('x'))).toBe('TopicDoesNotExist');
  });

  it('subscribes a queue: queue policy for the topic, idempotent, listed with its settings', async () => {
    const topic = await broker.createTopic(uniqueName('sub'));
    const queue = await broker.createQueue(uniqueName('sub-q'));
    const policy = { kind: ['a'] };
    const first = await topic.subscribe(queue, { rawMessageDelivery: true, filterPolicy: policy });
    const again = await topic.subscribe(queue, { rawMessageDelivery: true, filterPolicy: policy });
    expect(again.id).toBe(first.id);

    const { sqs } = broker.native() as SqsNative;
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queue.name }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy'] }));
    const statements = JSON.parse(Attributes?.Policy ?? '{}').Statement as Record<string, unknown>[];
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: `arn:aws:sqs:us-east-1:000000000000:${queue.name}`,
      Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:sns:us-east-1:000000000000:${topic.name}` } },
    });

    const other = await broker.createTopic(uniqueName('sub2'));
    await other.subscribe(queue);
    const after = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy'] }));
    expect(JSON.parse(after.Attributes?.Policy ?? '{}').Statement).toHaveLength(2);

    const listed = await topic.listSubscriptions();
    expect(listed).toEqual([
      expect.objectContaining({
        id: first.id,
        topic: topic.name,
        queue: queue.name,
        rawMessageDelivery: true,
        filterPolicy: policy,
        filterPolicyScope: 'MessageAttributes',
      }),
    ]);
  });

  it('delivers the SNS envelope by default, and the published message with raw delivery', async () => {
    const topic = await broker.createTopic(uniqueName('fmt'));
    const wrapped = await broker.createQueue(uniqueName('fmt-env'));
    const raw = await broker.createQueue(uniqueName('fmt-raw'));
    await topic.subscribe(wrapped);
    await topic.subscribe(raw, { rawMessageDelivery: true });
    const attributes = {
      s: 'text',
      n: 4.5,
      b: new Uint8Array([1, 2, 3]),
      arr: ['x', 'y'],
    };
    const { messageId } = await topic.publish('payload', { attributes, subject: 'Hello' });

    const [envelopeMessage] = await wrapped.receive({ waitTimeSeconds: 1 });
    const envelope = JSON.parse(envelopeMessage?.body ?? '{}');
    expect(envelope).toMatchObject({
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: `arn:aws:sns:us-east-1:000000000000:${topic.name}`,
      Subject: 'Hello',
      Message: 'payload',
      MessageAttributes: {
        s: { Type: 'String', Value: 'text' },
        n: { Type: 'Number', Value: '4.5' },
        b: { Type: 'Binary', Value: Buffer.from([1, 2, 3]).toString('base64') },
        arr: { Type: 'String.Array', Value: '["x","y"]' },
      },
    });
    expect(new Date(envelope.Timestamp).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(envelopeMessage?.attributes).toEqual({});

    // the same message, unwrapped by core
    const unwrapping = broker.queue(wrapped.name, { unwrapEnvelopes: true });
    await topic.publish('payload 2', { attributes });
    const [unwrapped] = await unwrapping.receive({ waitTimeSeconds: 1 });
    expect(unwrapped?.body).toBe('payload 2');
    expect(unwrapped?.attributes).toEqual({
      s: { dataType: 'String', stringValue: 'text' },
      n: { dataType: 'Number', stringValue: '4.5' },
      b: { dataType: 'Binary', binaryValue: new Uint8Array([1, 2, 3]) },
      arr: { dataType: 'String.Array', stringValue: '["x","y"]' },
    });

    const rawMessages = await raw.receive({ maxMessages: 10, waitTimeSeconds: 1 });
    expect(rawMessages.map((m) => m.body).sort()).toEqual(['payload', 'payload 2']);
    expect(rawMessages[0]?.attributes).toEqual(unwrapped?.attributes);
  });

  it('fans out to every subscription once; unsubscribed queues get nothing; no history', async () => {
    const topic = await broker.createTopic(uniqueName('fan'));
    await topic.publish('before anyone subscribed');
    const q1 = await broker.createQueue(uniqueName('fan-1'));
    const q2 = await broker.createQueue(uniqueName('fan-2'));
    const s1 = await topic.subscribe(q1, { rawMessageDelivery: true });
    await topic.subscribe(q2, { rawMessageDelivery: true });
    const result = await topic.publishBatch(Array.from({ length: 12 }, (_, i) => ({ id: `p${i}`, body: `m${i}` })));
    expect(result.successful).toHaveLength(12);
    expect((await receiveAll(q1, 12)).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `m${i}`).sort());
    expect(await receiveAll(q2, 12)).toHaveLength(12);
    await s1.unsubscribe();
    await topic.publish('after');
    expect(await receiveAll(q2, 1)).toEqual(['after']);
    expect(await q1.receive({ waitTimeSeconds: 1 })).toEqual([]);
    expect(await codeOf(topic.unsubscribe(s1.id))).toBe('SubscriptionDoesNotExist');
    expect(await codeOf(topic.unsubscribe('not-an-arn'))).toBe('SubscriptionDoesNotExist');
  });

  it('filters natively on attributes and on the body', async () => {
    const topic = await broker.createTopic(uniqueName('filter'));
    const byAttribute = await broker.createQueue(uniqueName('filter-attr'));
    const byBody = await broker.createQueue(uniqueName('filter-body'));
    await topic.subscribe(byAttribute, {
      rawMessageDelivery: true,
      filterPolicy: { kind: ['order'], amount: [{ numeric: ['>=', 10] }] },
    });
    await topic.subscribe(byBody, {
      rawMessageDelivery: true,
      filterPolicy: { order: { type: ['paid'] } },
      filterPolicyScope: 'MessageBody',
    });
    await topic.publish('{"order":{"type":"paid"}}', { attributes: { kind: 'order', amount: 10 } });
    await topic.publish('{"order":{"type":"new"}}', { attributes: { kind: 'order', amount: 9 } });
    await topic.publish('not json', { attributes: { kind: 'refund', amount: 50 } });
    expect(await receiveAll(byAttribute, 1)).toEqual(['{"order":{"type":"paid"}}']);
    expect(await receiveAll(byBody, 1)).toEqual(['{"order":{"type":"paid"}}']);
    expect(await byAttribute.receive({ waitTimeSeconds: 1 })).toEqual([]);
  });

  it('publishes FIFO topics in order to FIFO and standard queues, deduplicating', async () => {
    const topic = await broker.createTopic(uniqueName('ftopic', true), { contentBasedDeduplication: true });
    const fifo = await broker.createQueue(uniqueName('ftopic-q', true), { fifo: true });
    const standard = await broker.createQueue(uniqueName('ftopic-std'));
    await topic.subscribe(fifo, { rawMessageDelivery: true });
    await topic.subscribe(standard, { rawMessageDelivery: true });
    expect(await codeOf(topic.publish('no group'))).toBe('InvalidParameter');
    const entries = Array.from({ length: 10 }, (_, i) => ({ id: `e${i}`, body: `m${i}`, groupId: 'G' }));
    entries[7] = { id: 'e7', body: 'm6', groupId: 'G' };
    const result = await topic.publishBatch(entries);
    expect(result.failed).toEqual([]);
    const expected = ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm8', 'm9'];
    expect(await receiveAll(fifo, 9)).toEqual(expected);
    const [first] = await broker.queue(fifo.name).receive();
    expect(first).toBeUndefined();
    expect((await receiveAll(standard, 10)).length).toBeGreaterThanOrEqual(9);
  });

  it('refuses subscriptions to missing queues and topics, and standard topics to FIFO queues', async () => {
    const topic = await broker.createTopic(uniqueName('refuse'));
    expect(await codeOf(topic.subscribe(uniqueName('no-queue')))).toBe('QueueDoesNotExist');
    const queue = await broker.createQueue(uniqueName('refuse-q'));
    expect(await codeOf(broker.topic(uniqueName('no-topic')).subscribe(queue))).toBe('TopicDoesNotExist');
    expect(await codeOf(broker.topic(uniqueName('no-topic')).listSubscriptions())).toBe('TopicDoesNotExist');
    const fifoQueue = await broker.createQueue(uniqueName('refuse-f', true), { fifo: true });
    expect(await codeOf(topic.subscribe(fifoQueue))).toBe('InvalidParameter');
  });
});
