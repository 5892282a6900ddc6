import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Broker, ReceivedMessage } from '@msgport/core';
import { connect as connectAmqp } from 'amqplib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Names } from '../src/topology.js';
import { receiveCount, skipTitle, sleep, unavailable } from './support/helpers.js';
import { AMQP_URL, driverOf, dropNamespace, openBroker, uniqueNamespace } from './support/rabbitmq.js';

const namespace = uniqueNamespace('fault');
let broker: Broker;
let observer: Broker;
const escaped: unknown[] = [];
const collect = (error: unknown) => escaped.push(error);

describe.skipIf(unavailable)(skipTitle('fault: connection and channel failures'), () => {
  beforeAll(async () => {
    [broker, observer] = await Promise.all([openBroker(namespace), openBroker(namespace)]);
  });
  afterAll(async () => {
    await Promise.allSettled([broker?.close(), observer?.close()]);
    await dropNamespace(namespace);
  });
  beforeEach(() => {
    escaped.length = 0;
    process.on('unhandledRejection', collect);
    process.on('uncaughtException', collect);
  });
  afterEach(() => {
    process.off('unhandledRejection', collect);
    process.off('uncaughtException', collect);
    expect(escaped, 'errors escaped to the process').toEqual([]);
  });

  it('a consumer’s connection killed mid-batch: the batch comes back with receiveCount + 1, nothing is lost', async () => {
    const q = await broker.createQueue('mid-batch', { visibilityTimeoutSeconds: 120 });
    const bodies = Array.from({ length: 30 }, (_, i) => `m${i}`);
    await q.sendBatch(bodies.map((body, i) => ({ id: `e${i}`, body })));
    const done: ReceivedMessage[] = await receiveCount(q, 10, { del: true });
    const batch = await receiveCount(q, 10);
    expect(batch.map((m) => m.receiveCount)).toEqual(Array(10).fill(1));
    // Half of the batch is processed, then the connection dies before the rest is deleted.
    await q.deleteBatch(batch.slice(0, 5).map((m, i) => ({ id: `d${i}`, receiptHandle: m.receiptHandle })));
    driverOf(broker).simulateConnectionLoss();
    // The same broker object recovers by itself and keeps consuming.
    const rest = await receiveCount(q, 15, { del: true, timeoutMs: 20_000 });
    const seen = [...done, ...batch.slice(0, 5), ...rest];
    expect(seen.map((m) => m.body).sort()).toEqual([...bodies].sort());
    const redelivered = rest.filter((m) => batch.slice(5).some((b) => b.messageId === m.messageId));
    expect(redelivered.map((m) => m.receiveCount)).toEqual(Array(5).fill(2));
    expect((await q.getAttributes()).visible).toBe(0);
  });

  it('a consumer process killed with SIGKILL mid-batch: its messages come back at once with receiveCount + 1', async () => {
    const q = await broker.createQueue('sigkill', { visibilityTimeoutSeconds: 300 });
    await q.sendBatch(Array.from({ length: 20 }, (_, i) => ({ id: `e${i}`, body: `k${i}` })));
    const script = fileURLToPath(new URL('./support/sigkill-consumer.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', script, AMQP_URL, namespace, 'sigkill', '10'],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const [line] = (await once(child.stdout, 'data')) as [Buffer];
      const held = JSON.parse(line.toString()) as string[];
      expect(held).toHaveLength(10);
      child.kill('SIGKILL');
      const started = Date.now();
      const all = await receiveCount(q, 20, { del: true });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(all.map((m) => m.body).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `k${i}`).sort());
      for (const m of all) expect(m.receiveCount).toBe(held.includes(m.messageId) ? 2 : 1);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a channel error returns only that channel’s messages (receiveCount + 1); other queues keep theirs; the process survives', async () => {
    const [one, two] = await Promise.all([
      broker.createQueue('chan-one', { visibilityTimeoutSeconds: 120 }),
      broker.createQueue('chan-two', { visibilityTimeoutSeconds: 120 }),
    ]);
    await one.sendBatch(['a', 'b', 'c'].map((body) => ({ id: body, body })));
    await two.sendBatch(['x', 'y'].map((body) => ({ id: body, body })));
    const heldOne = await receiveCount(one, 3);
    const heldTwo = await receiveCount(two, 2);
    expect(driverOf(broker).simulateChannelError('chan-one')).toBe(true);
    const back = await receiveCount(observer.queue('chan-one'), 3, { del: true });
    expect(back.map((m) => [m.body, m.receiveCount]).sort()).toEqual([
      ['a', 2],
      ['b', 2],
      ['c', 2],
    ]);
    // The other queue's messages stay in flight and their handles still work.
    expect((await two.getAttributes()).inFlight).toBe(2);
    await two.deleteBatch(heldTwo.map((m, i) => ({ id: `d${i}`, receiptHandle: m.receiptHandle })));
    expect(await receiveCount(observer.queue('chan-two'), 1, { timeoutMs: 1_500 })).toEqual([]);
    // Stale handles of the failed channel: delete is a no-op, the queue works again at once.
    await one.delete(heldOne[0] as ReceivedMessage);
    await one.send('again');
    expect((await receiveCount(one, 1, { del: true })).map((m) => m.body)).toEqual(['again']);
  });

  it('a FIFO dispatcher’s channel error returns its messages in order with exact receive counts', async () => {
    const q = await broker.createQueue('chan.fifo', {
      fifo: true,
      visibilityTimeoutSeconds: 120,
      contentBasedDeduplication: true,
    });
    await q.sendBatch(['f1', 'f2', 'f3', 'f4'].map((body) => ({ id: body, body, groupId: 'g' })));
    const first = await receiveCount(q, 2, { visibilityTimeoutSeconds: 1 });
    expect(first.map((m) => [m.body, m.receiveCount])).toEqual([
      ['f1', 1],
      ['f2', 1],
    ]);
    await sleep(1_300);
    // Re-served from the dispatcher's buffer: the broker does not see these receives.
    const again = await receiveCount(q, 2);
    expect(again.map((m) => [m.body, m.receiveCount])).toEqual([
      ['f1', 2],
      ['f2', 2],
    ]);
    expect(driverOf(broker).simulateChannelError('chan.fifo')).toBe(true);
    await sleep(200);
    const all = await receiveCount(q, 4, { del: true });
    // Same order; f1/f2 were received twice before, f3/f4 only sat in the buffer (never received).
    expect(all.map((m) => [m.body, m.receiveCount])).toEqual([
      ['f1', 3],
      ['f2', 3],
      ['f3', 1],
      ['f4', 1],
    ]);
  });

  it('a topic exchange deleted behind msgport’s back fails the publish, not the process; re-creating it heals', async () => {
    const topic = await broker.createTopic('vanishing');
    const q = await broker.createQueue('vanishing-reader');
    await topic.subscribe(q, { rawMessageDelivery: true });
    const connection = await connectAmqp(AMQP_URL);
    try {
      const channel = await connection.createChannel();
      await channel.deleteExchange(new Names(namespace).topicExchange('vanishing'));
    } finally {
      await connection.close();
    }
    await expect(topic.publish('lost')).rejects.toMatchObject({ code: 'Unavailable' });
    await broker.createTopic('vanishing');
    await topic.subscribe(q, { rawMessageDelivery: true });
    await topic.publish('found');
    expect((await receiveCount(q, 1, { del: true })).map((m) => m.body)).toEqual(['found']);
  });
});
