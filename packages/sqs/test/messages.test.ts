import { type Broker, isMsgportError, type ReceivedMessage } from '@msgport/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFauxqs, noFauxqs, uniqueName } from './support/fauxqs.js';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return isMsgportError(error) ? error.code : `raw: ${String(error)}`;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(noFauxqs)('SQS messages', () => {
  let broker: Broker;
  beforeAll(async () => {
    broker = await connectFauxqs();
  });
  afterAll(async () => {
    await broker?.close();
  });

  it('round-trips body, typed attributes and system attributes', async () => {
    const queue = await broker.createQueue(uniqueName('rt'));
    const before = Date.now();
    const { messageId } = await queue.send('{"hello":"wörld"}', {
      attributes: {
        s: 'text',
        n: 10.5,
        b: new Uint8Array([0, 255]),
        custom: { dataType: 'Number.int', stringValue: '7' },
      },
    });
    const [message] = await queue.receive({ waitTimeSeconds: 1 });
    expect(message?.messageId).toBe(messageId);
    expect(message?.body).toBe('{"hello":"wörld"}');
    expect(message?.attributes).toEqual({
      s: { dataType: 'String', stringValue: 'text' },
      n: { dataType: 'Number', stringValue: '10.5' },
      b: { dataType: 'Binary', binaryValue: new Uint8Array([0, 255]) },
      custom: { dataType: 'Number.int', stringValue: '7' },
    });
    expect(message?.receiveCount).toBe(1);
    expect(message?.sentTimestamp).toBeGreaterThanOrEqual(before - 1000);
    expect(message?.firstReceiveTimestamp).toBeGreaterThanOrEqual(message?.sentTimestamp ?? 0);
    expect(message?.groupId).toBeUndefined();
    expect(message?.md5OfBody).toMatch(/^[0-9a-f]{32}$/);
  });

  it('sends any number of entries, chunked by 10, with per-entry results', async () => {
    const queue = await broker.createQueue(uniqueName('batch'));
    const entries = Array.from({ length: 23 }, (_, i) => ({ id: `e${i}`, body: `m${i}` }));
    entries[5] = { id: 'e5', body: '' };
    const result = await queue.sendBatch(entries);
    expect(result.successful).toHaveLength(22);
    expect(result.failed).toEqual([expect.objectContaining({ id: 'e5', code: 'InvalidParameter' })]);
    const seen = new Set<string>();
    while (seen.size < 22) {
      const batch = await queue.receive({ maxMessages: 10, waitTimeSeconds: 1 });
      expect(batch.length).toBeGreaterThan(0);
      expect(batch.length).toBeLessThanOrEqual(10);
      for (const m of batch) seen.add(m.body);
      const deleted = await queue.deleteBatch(batch.map((m, i) => ({ id: `d${i}`, receiptHandle: m.receiptHandle })));
      expect(deleted.failed).toEqual([]);
    }
    expect(seen.has('m5')).toBe(false);
  });

  it('long-polls: returns as soon as a message arrives, or empty after the wait', async () => {
    const queue = await broker.createQueue(uniqueName('poll'));
    let started = Date.now();
    expect(await queue.receive({ waitTimeSeconds: 1 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    started = Date.now();
    const polling = queue.receive({ waitTimeSeconds: 10 });
    await sleep(300);
    await queue.send('late');
    const [message] = await polling;
    expect(message?.body).toBe('late');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('gives concurrent pollers distinct messages', async () => {
    const queue = await broker.createQueue(uniqueName('pollers'));
    const polls = Array.from({ length: 5 }, () => queue.receive({ waitTimeSeconds: 3 }));
    await sleep(200);
    await queue.sendBatch([1, 2, 3].map((i) => ({ id: `m${i}`, body: `m${i}` })));
    const received = (await Promise.all(polls)).flat();
    const more = await queue.receive({ maxMessages: 10, waitTimeSeconds: 1 });
    const ids = [...received, ...more].map((m) => m.messageId);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
  });

  it('keeps a long poll waiting when another poller wins the message', async () => {
    const queue = await broker.createQueue(uniqueName('losers'));
    const started = Date.now();
    const polls = [1, 2, 3].map(() => queue.receive({ waitTimeSeconds: 2 }).then((m) => ({ m, at: Date.now() })));
    await sleep(200);
    await queue.send('one');
    const results = await Promise.all(polls);
    const winners = results.filter((r) => r.m.length === 1);
    const losers = results.filter((r) => r.m.length === 0);
    expect(winners).toHaveLength(1);
    for (const loser of losers) expect(loser.at - started).toBeGreaterThanOrEqual(1900);
    for (const loser of losers) expect(loser.at - started).toBeLessThan(3000);
  });

  it('hides a message while in flight and redelivers it after the visibility timeout', async () => {
    const queue = await broker.createQueue(uniqueName('vis'), { visibilityTimeoutSeconds: 1 });
    await queue.send('again');
    const [first] = await queue.receive();
    expect(await queue.receive()).toEqual([]);
    await sleep(1200);
    const [second] = await queue.receive({ waitTimeSeconds: 2 });
    expect(second?.messageId).toBe(first?.messageId);
    expect(second?.receiptHandle).not.toBe(first?.receiptHandle);
    expect(second?.receiveCount).toBe(2);
    // the stale handle: delete resolves (SQS: "succeeds"), visibility change is rejected
    await queue.delete(first as ReceivedMessage);
    expect(await codeOf(queue.changeVisibility(first as ReceivedMessage, 10))).toBe('ReceiptHandleIsInvalid');
    await queue.delete(second as ReceivedMessage);
    await queue.delete(second as ReceivedMessage);
  });

  it('overrides visibility per receive and changes it per message', async () => {
    const queue = await broker.createQueue(uniqueName('chvis'), { visibilityTimeoutSeconds: 60 });
    await queue.sendBatch([
      { id: 'a', body: 'a' },
      { id: 'b', body: 'b' },
    ]);
    const received = await queue.receive({ maxMessages: 10, visibilityTimeoutSeconds: 30 });
    expect(received).toHaveLength(2);
    const result = await queue.changeVisibilityBatch(
      received.map((m) => ({ id: m.body, receiptHandle: m.receiptHandle, visibilityTimeoutSeconds: 0 })),
    );
    expect(result.failed).toEqual([]);
    expect((await queue.receive({ maxMessages: 10, waitTimeSeconds: 1 })).map((m) => m.body).sort()).toEqual([
      'a',
      'b',
    ]);
  });

  it('rejects a visibility change once the timeout expired, even before the message is received again', async () => {
    const queue = await broker.createQueue(uniqueName('expired'));
    await queue.send('x');
    const [message] = await queue.receive({ visibilityTimeoutSeconds: 1 });
    await sleep(1100);
    expect(await codeOf(queue.changeVisibility(message as ReceivedMessage, 30))).toBe('MessageNotInflight');
    const [again] = await queue.receive({ waitTimeSeconds: 1 });
    expect(again?.receiveCount).toBe(2);
    // an extension made in time moves the deadline
    await queue.changeVisibility(again as ReceivedMessage, 2);
    await sleep(1100);
    await queue.changeVisibility(again as ReceivedMessage, 5);
  });

  it('rejects a visibility change past 12 hours from the receive', async () => {
    const queue = await broker.createQueue(uniqueName('cap'));
    await queue.send('x');
    const [message] = await queue.receive();
    await sleep(20);
    expect(await codeOf(queue.changeVisibility(message as ReceivedMessage, 43_200))).toBe('InvalidParameter');
    await queue.changeVisibility(message as ReceivedMessage, 43_100);
  });

  it('delays messages: per message and by the queue default', async () => {
    const queue = await broker.createQueue(uniqueName('delay'), { delaySeconds: 1 });
    await queue.send('queue-delay');
    await queue.send('own-delay', { delaySeconds: 2 });
    await queue.send('no-delay', { delaySeconds: 0 });
    expect((await queue.receive({ maxMessages: 10 })).map((m) => m.body)).toEqual(['no-delay']);
    expect((await queue.getAttributes()).delayed).toBe(2);
    const [first] = await queue.receive({ waitTimeSeconds: 3 });
    expect(first?.body).toBe('queue-delay');
    const [second] = await queue.receive({ waitTimeSeconds: 3 });
    expect(second?.body).toBe('own-delay');
  });

  it('accepts group ids on standard queues (fair queues)', async () => {
    const queue = await broker.createQueue(uniqueName('fair'));
    const result = await queue.sendBatch([
      { id: 'a', body: 'a', groupId: 'tenant-1' },
      { id: 'b', body: 'b', groupId: 'tenant-2' },
    ]);
    expect(result.failed).toEqual([]);
    expect(await queue.receive({ maxMessages: 10, waitTimeSeconds: 1 })).toHaveLength(2);
  });

  it('purges available and in-flight messages; again within 60 s is PurgeInProgress', async () => {
    const queue = await broker.createQueue(uniqueName('purge'));
    await queue.sendBatch([
      { id: 'a', body: 'a' },
      { id: 'b', body: 'b' },
    ]);
    await queue.receive();
    await queue.purge();
    const stats = await queue.getAttributes();
    expect(stats.visible + stats.inFlight).toBe(0);
    expect(await codeOf(queue.purge())).toBe('PurgeInProgress');
  });

  it('aborts a long poll by signal, and ends long polls when the broker closes', async () => {
    const queue = await broker.createQueue(uniqueName('abort'));
    const controller = new AbortController();
    const started = Date.now();
    const polling = codeOf(queue.receive({ waitTimeSeconds: 20, signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    expect(await polling).toBe('Aborted');
    expect(Date.now() - started).toBeLessThan(1000);
    // SQS still answers the abandoned long poll; the driver makes what it got visible again at once
    await queue.send('after the abort');
    const [late] = await queue.receive({ waitTimeSeconds: 2 });
    expect(late?.body).toBe('after the abort');

    const other = await connectFauxqs();
    const closing = codeOf(other.queue(queue.name).receive({ waitTimeSeconds: 20 }));
    await sleep(200);
    await other.close();
    expect(await closing).toBe('Closed');
    expect(await codeOf(other.queue(queue.name).send('x'))).toBe('Closed');
  });
});
