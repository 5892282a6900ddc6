import {
  type Broker,
  isMsgportError,
  type MirrorFailure,
  mirrorQueue,
  mirrorTopic,
  type SendBatchEntry,
} from '@msgport/core';
import { createMemoryBroker } from '@msgport/memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Place, placesFor, target, unavailable } from './support/transports.js';

// The mirror lives in core; core's own tests drive it over scripted drivers (core cannot depend on
// @msgport/memory). Here it runs over real transports: two memory brokers, and Redis → SQS.

describe('mirrorQueue over two memory brokers', () => {
  let primary: Broker;
  let secondary: Broker;
  beforeAll(() => {
    primary = createMemoryBroker();
    secondary = createMemoryBroker();
  });
  afterAll(async () => {
    await Promise.all([primary.close(), secondary.close()]);
  });

  it('both sides hold every message; receive and delete use the primary', async () => {
    const mirror = mirrorQueue(await primary.createQueue('orders'), await secondary.createQueue('orders'), {
      onFailure: () => expect.fail('no failure expected'),
      secondaryAttribute: 'mirror-of',
    });
    const { messageId } = await mirror.send('a', { attributes: { type: 'x' } });
    await mirror.sendBatch(Array.from({ length: 12 }, (_, i) => ({ id: `m${i}`, body: `b${i}` })));
    expect((await primary.queue('orders').getAttributes()).visible).toBe(13);
    expect((await secondary.queue('orders').getAttributes()).visible).toBe(13);
    const [copy] = await secondary.queue('orders').receive();
    expect(copy?.attributes['mirror-of']?.stringValue).toBe(messageId);
    const [original] = await mirror.receive();
    expect(original?.attributes['mirror-of']).toBeUndefined();
    await mirror.delete(original as { receiptHandle: string });
    expect((await primary.queue('orders').getAttributes()).visible).toBe(12);
    expect(mirror.counts()).toEqual({ primary: 13, secondary: 13, failed: 0 });
  });

  it('a secondary that refuses (smaller message limit) is reported per message; the primary keeps them', async () => {
    await primary.createQueue('big');
    await secondary.createQueue('big', { maxMessageBytes: 1024 });
    const failures: MirrorFailure<SendBatchEntry<string>>[] = [];
    const mirror = mirrorQueue(primary.queue('big'), secondary.queue('big'), { onFailure: (f) => failures.push(f) });
    await mirror.sendBatch([
      { id: 'small', body: 'x' },
      { id: 'large', body: 'y'.repeat(2000) },
    ]);
    expect((await primary.queue('big').getAttributes()).visible).toBe(2);
    expect((await secondary.queue('big').getAttributes()).visible).toBe(1);
    expect(failures.flatMap((f) => f.entries.map((e) => [e.entry.id, e.code]))).toEqual([['large', 'MessageTooLong']]);
  });

  it('a closed secondary throws under "throw" after the primary took the message', async () => {
    const other = createMemoryBroker();
    const mirror = mirrorQueue(await primary.createQueue('closing'), await other.createQueue('closing'), {
      onSecondaryFailure: 'throw',
    });
    await other.close();
    const error = await mirror.send('kept').catch((e: unknown) => e);
    expect(isMsgportError(error, 'Closed')).toBe(true);
    expect((await primary.queue('closing').getAttributes()).visible).toBe(1);
  });

  it('mirrorTopic fans out on both brokers through their own subscriptions and filter policies', async () => {
    const [p, s] = [primary, secondary];
    for (const broker of [p, s]) {
      await broker.createQueue('billing');
      const topic = await broker.createTopic('events');
      await topic.subscribe('billing', { rawMessageDelivery: true, filterPolicy: { type: ['paid'] } });
    }
    const mirror = mirrorTopic(p.topic('events'), s.topic('events'), { onFailure: () => expect.fail('no failure') });
    await mirror.publish('one', { attributes: { type: 'paid' } });
    await mirror.publish('two', { attributes: { type: 'refunded' } });
    for (const broker of [p, s]) {
      const got = await broker.queue('billing').receive({ maxMessages: 10 });
      expect(got.map((m) => m.body)).toEqual(['one']);
    }
  });
});

const missing = unavailable(target('redis'), target('sqs'));

describe.skipIf(missing !== '')(`mirrorQueue Redis → SQS ${missing}`, () => {
  const [from, to] = placesFor(target('redis'), target('sqs')) as [Place, Place];

  it('dual-writes to both transports; what SQS refuses is reported and stays on Redis', async () => {
    const name = `${to.names}mirrored`;
    const primary = await (await from.broker()).createQueue(name);
    const secondary = await (await to.broker()).createQueue(name);
    const failures: MirrorFailure<SendBatchEntry<string>>[] = [];
    const mirror = mirrorQueue(primary, secondary, {
      onFailure: (f) => failures.push(f),
      secondaryAttribute: 'mirror-of',
    });
    await mirror.sendBatch(
      Array.from({ length: 15 }, (_, i) => ({ id: `m${i}`, body: `order ${i}`, attributes: { i } })),
    );
    // Ten attributes are the SQS limit: the primary takes them, the copy with "mirror-of" is one too many.
    const ten = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, 'v']));
    await mirror.send('ten attributes', { attributes: ten });
    expect((await primary.getAttributes()).visible).toBe(16);
    expect((await secondary.getAttributes()).visible).toBe(15);
    expect(failures.flatMap((f) => f.entries.map((e) => [e.entry.body, e.code]))).toEqual([
      ['ten attributes', 'InvalidParameter'],
    ]);
    expect(mirror.counts()).toEqual({ primary: 16, secondary: 15, failed: 1 });
    const [copy] = await secondary.receive({ maxMessages: 1 });
    expect(copy?.attributes['mirror-of']?.stringValue).toMatch(/\S/);
  });
});
