import { type Broker, connect } from '@msgport/core';
import { connect as connectAmqp } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';
import { Names } from '../src/topology.js';
import { codeOf, receiveCount, skipTitle, sleep, unavailable } from './support/helpers.js';
import { AMQP_URL, driverOf, dropNamespace, openBroker, uniqueNamespace } from './support/rabbitmq.js';

const namespace = uniqueNamespace('drv');
let a: Broker;
let b: Broker;

describe.skipIf(unavailable)(skipTitle('rabbitmq driver: what differs from one process'), () => {
  beforeAll(async () => {
    [a, b] = await Promise.all([openBroker(namespace), openBroker(namespace)]);
  });
  afterAll(async () => {
    await Promise.allSettled([a?.close(), b?.close()]);
    await dropNamespace(namespace);
  });

  it('is registered for amqp:// (settings from the URL, credentials redacted from errors)', async () => {
    const url = new URL(AMQP_URL);
    url.searchParams.set('namespace', namespace);
    const broker = await connect(url.toString());
    try {
      expect(broker.transport).toBe('rabbitmq');
      expect(broker.capabilities.crashRedelivery).toBe('immediate');
      await broker.createQueue('via-url');
      expect(await a.listQueues('via-url')).toEqual(['via-url']);
      await broker.deleteQueue('via-url');
    } finally {
      await broker.close();
    }
    const refused = await codeOf(connect('amqp://user:s3cret@127.0.0.1:1?connectTimeoutMs=500'));
    expect(refused).toBe('Unavailable');
    const error = await connect('amqp://user:s3cret@127.0.0.1:1?connectTimeoutMs=500').catch((e: Error) => e);
    expect(String(error)).not.toContain('s3cret');
  });

  it('shares queue settings through the registry stream: idempotent and conflicting across processes', async () => {
    const q = await a.createQueue('shared', { visibilityTimeoutSeconds: 45, delaySeconds: 1 });
    const seen = await b.queue('shared').getAttributes();
    expect(seen.config).toEqual(await q.config());
    await b.createQueue('shared', { visibilityTimeoutSeconds: 45, delaySeconds: 1 });
    expect(await codeOf(b.createQueue('shared', { visibilityTimeoutSeconds: 46, delaySeconds: 1 }))).toBe(
      'QueueAlreadyExists',
    );
    expect(await b.listQueues('shar')).toEqual(['shared']);
    await a.deleteQueue('shared');
    expect(await codeOf(b.queue('shared').getAttributes())).toBe('QueueDoesNotExist');
    // Re-created with other settings: every process sees the new ones.
    await b.createQueue('shared', { visibilityTimeoutSeconds: 7 });
    expect((await a.queue('shared').getAttributes()).config.visibilityTimeoutSeconds).toBe(7);
    await b.deleteQueue('shared');
  });

  it('receiptHandleScope "process": another process cannot settle a message; the receiver can', async () => {
    const q = await a.createQueue('handles');
    await q.send('one');
    const [m] = await receiveCount(q, 1, { visibilityTimeoutSeconds: 60 });
    if (!m) throw new Error('nothing received');
    const other = b.queue('handles');
    expect(await codeOf(other.delete(m))).toBe('ReceiptHandleIsInvalid');
    expect(await codeOf(other.changeVisibility(m, 0))).toBe('ReceiptHandleIsInvalid');
    expect((await other.getAttributes()).visible).toBe(0);
    await q.delete(m);
    expect(await receiveCount(other, 1, { timeoutMs: 1_500 })).toEqual([]);
    await a.deleteQueue('handles');
  });

  it('crashRedelivery "immediate": when a consumer’s connection dies its messages return at once, receiveCount + 1', async () => {
    const q = await a.createQueue('crash', { visibilityTimeoutSeconds: 300 });
    await q.sendBatch(['x', 'y', 'z'].map((body, i) => ({ id: `e${i}`, body })));
    const held = await receiveCount(q, 3);
    expect(held.map((m) => m.receiveCount)).toEqual([1, 1, 1]);
    driverOf(a).simulateConnectionLoss();
    const started = Date.now();
    const back = await receiveCount(b.queue('crash'), 3, { del: true });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(back.map((m) => m.body).sort()).toEqual(['x', 'y', 'z']);
    expect(back.map((m) => m.receiveCount)).toEqual([2, 2, 2]);
    expect(back.map((m) => m.messageId).sort()).toEqual(held.map((m) => m.messageId).sort());
    // The old handles died with the connection: delete is a no-op, changeVisibility says not in flight.
    await q.delete(held[0] as (typeof held)[0]);
    expect(await codeOf(q.changeVisibility(held[1] as (typeof held)[0], 10))).toBe('MessageNotInflight');
    // …and the process recovered by itself.
    await q.send('after');
    expect((await receiveCount(q, 1, { del: true })).map((m) => m.body)).toEqual(['after']);
    await a.deleteQueue('crash');
  });

  it('purge in one process removes the messages another process holds in flight', async () => {
    const q = await a.createQueue('purge', { visibilityTimeoutSeconds: 300 });
    await q.sendBatch(['1', '2', '3'].map((body) => ({ id: `e${body}`, body })));
    const held = await receiveCount(q, 2);
    expect(held).toHaveLength(2);
    await b.queue('purge').purge();
    await sleep(200);
    const stats = await q.getAttributes();
    expect([stats.visible, stats.inFlight]).toEqual([0, 0]);
    // Nothing comes back, not even when the holder's channel dies.
    driverOf(a).simulateChannelError('purge');
    expect(await receiveCount(b.queue('purge'), 1, { timeoutMs: 2_000 })).toEqual([]);
    await a.deleteQueue('purge');
  });

  it('routes a publish from one process to a subscription made in another', async () => {
    const topic = await a.createTopic('news');
    const q = await a.createQueue('news-reader');
    const subscription = await topic.subscribe(q, { rawMessageDelivery: true, filterPolicy: { kind: ['keep'] } });
    const remote = b.topic('news');
    // Other processes learn of a subscription from the registry stream (milliseconds later);
    // listSubscriptions catches up with it.
    expect((await remote.listSubscriptions()).map((s) => s.id)).toEqual([subscription.id]);
    await remote.publish('dropped', { attributes: { kind: 'skip' } });
    await remote.publish('kept', { attributes: { kind: 'keep' } });
    const got = await receiveCount(b.queue('news-reader'), 2, { timeoutMs: 3_000, del: true });
    expect(got.map((m) => m.body)).toEqual(['kept']);
    await a.deleteTopic('news');
    await a.deleteQueue('news-reader');
  });

  it('receives messages that plain AMQP clients put on the queue', async () => {
    const q = await a.createQueue('foreign');
    const connection = await connectAmqp(AMQP_URL);
    try {
      const channel = await connection.createConfirmChannel();
      channel.sendToQueue(new Names(namespace).queue('foreign'), Buffer.from('from amqplib'), { messageId: 'm-1' });
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
    const [m] = await receiveCount(q, 1, { del: true });
    expect([m?.body, m?.messageId, m?.receiveCount, m?.attributes]).toEqual(['from amqplib', 'm-1', 1, {}]);
    await a.deleteQueue('foreign');
  });
});
