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

describe.skipIf(noFauxqs)('SQS FIFO queues', () => {
  let broker: Broker;
  beforeAll(async () => {
    broker = await connectFauxqs();
  });
  afterAll(async () => {
    await broker?.close();
  });

  it('delivers in order per group, and locks a group while a message is in flight', async () => {
    const queue = await broker.createQueue(uniqueName('order', true), { fifo: true, contentBasedDeduplication: true });
    const sent = await queue.sendBatch(
      Array.from({ length: 12 }, (_, i) => ({
        id: `m${i}`,
        body: `${i % 2 === 0 ? 'a' : 'b'}-${i}`,
        groupId: i % 2 === 0 ? 'A' : 'B',
      })),
    );
    expect(sent.failed).toEqual([]);
    const sequence = sent.successful.map((entry) => BigInt(entry.sequenceNumber ?? '0'));
    expect([...sequence].sort((x, y) => (x < y ? -1 : 1))).toEqual(sequence);

    const bodies: { A: string[]; B: string[] } = { A: [], B: [] };
    for (let round = 0; round < 30 && bodies.A.length + bodies.B.length < 12; round++) {
      const batch = await queue.receive({ maxMessages: 10, waitTimeSeconds: 1 });
      // nothing more of a group arrives while one of its messages is in flight
      const second = await queue.receive({ maxMessages: 10 });
      for (const m of second) expect(batch.some((b) => b.groupId === m.groupId)).toBe(false);
      for (const m of [...batch, ...second]) {
        expect(m.deduplicationId).toMatch(/^[0-9a-f]{64}$/);
        expect(m.sequenceNumber).toBeDefined();
        bodies[m.groupId as 'A' | 'B'].push(m.body);
        await queue.delete(m);
      }
    }
    expect(bodies.A).toEqual(['a-0', 'a-2', 'a-4', 'a-6', 'a-8', 'a-10']);
    expect(bodies.B).toEqual(['b-1', 'b-3', 'b-5', 'b-7', 'b-9', 'b-11']);
  });

  it('deduplicates within the window: the duplicate succeeds with the original message id', async () => {
    const queue = await broker.createQueue(uniqueName('dedup', true), { fifo: true });
    const first = await queue.send('one', { groupId: 'g', deduplicationId: 'd-1' });
    const again = await queue.send('one, again', { groupId: 'g', deduplicationId: 'd-1' });
    expect(again.messageId).toBe(first.messageId);
    const [message] = await queue.receive({ maxMessages: 10, waitTimeSeconds: 1 });
    expect(message?.body).toBe('one');
    expect(message?.deduplicationId).toBe('d-1');
    await queue.delete(message as ReceivedMessage);
    // survives the delete
    await queue.send('one, third time', { groupId: 'g', deduplicationId: 'd-1' });
    expect(await queue.receive({ maxMessages: 10, waitTimeSeconds: 1 })).toEqual([]);
  });

  it('content-based deduplication uses SHA-256 of the body; an explicit id wins', async () => {
    const queue = await broker.createQueue(uniqueName('cbd', true), { fifo: true, contentBasedDeduplication: true });
    await queue.send('same', { groupId: 'g' });
    await queue.send('same', { groupId: 'g' });
    await queue.send('same', { groupId: 'g', deduplicationId: 'explicit-1' });
    const received: string[] = [];
    for (let i = 0; i < 5; i++) {
      const [m] = await queue.receive({ waitTimeSeconds: 1 });
      if (!m) break;
      received.push(m.deduplicationId ?? '');
      await queue.delete(m);
    }
    expect(received).toEqual(['0967115f2813a3541eaef77de9d9d5773f1c0c04314b0bbfe4ff3b3b1c55b5d5', 'explicit-1']);
  });

  it('applies the queue delay and rejects per-message delays and missing ids before any request', async () => {
    const queue = await broker.createQueue(uniqueName('fifo-delay', true), { fifo: true, delaySeconds: 1 });
    expect(await codeOf(queue.send('x', { groupId: 'g', deduplicationId: 'a', delaySeconds: 5 }))).toBe(
      'InvalidParameter',
    );
    expect(await codeOf(queue.send('x', { deduplicationId: 'a' }))).toBe('InvalidParameter');
    expect(await codeOf(queue.send('x', { groupId: 'g' }))).toBe('InvalidParameter');
    await queue.send('late', { groupId: 'g', deduplicationId: 'b' });
    expect(await queue.receive()).toEqual([]);
    const [message] = await queue.receive({ waitTimeSeconds: 3 });
    expect(message?.body).toBe('late');
  });

  it('returns a message to the head of its group when its visibility expires', async () => {
    const queue = await broker.createQueue(uniqueName('fifo-vis', true), {
      fifo: true,
      visibilityTimeoutSeconds: 1,
      contentBasedDeduplication: true,
    });
    await queue.sendBatch([
      { id: 'a', body: 'first', groupId: 'g' },
      { id: 'b', body: 'second', groupId: 'g' },
    ]);
    const [first] = await queue.receive();
    expect(first?.body).toBe('first');
    await queue.changeVisibility(first as ReceivedMessage, 0);
    const [again] = await queue.receive({ waitTimeSeconds: 2 });
    expect(again?.body).toBe('first');
    expect(again?.receiveCount).toBe(2);
  });
});
