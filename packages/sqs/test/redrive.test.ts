import type { Broker, Queue } from '@msgport/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFauxqs, noFauxqs, uniqueName } from './support/fauxqs.js';

/** Receives `queue` with visibility 0 until a receive comes back empty; returns the receive counts seen. */
async function receiveWithoutDeleting(queue: Queue, times: number): Promise<number[]> {
  const counts: number[] = [];
  for (let i = 0; i < times; i++) {
    const [message] = await queue.receive({ visibilityTimeoutSeconds: 0 });
    if (!message) break;
    counts.push(message.receiveCount);
  }
  return counts;
}

describe.skipIf(noFauxqs)('SQS dead-letter queues (RedrivePolicy) and redrive back', () => {
  let broker: Broker;
  beforeAll(async () => {
    broker = await connectFauxqs();
  });
  afterAll(async () => {
    await broker?.close();
  });

  it('moves a message after maxReceiveCount receives, keeping id, body and attributes', async () => {
    const dlq = await broker.createQueue(uniqueName('dlq'));
    const source = await broker.createQueue(uniqueName('src'), {
      deadLetter: { queue: dlq.name, maxReceiveCount: 2 },
    });
    const { messageId } = await source.send('poison', { attributes: { kind: 'poison', n: 3 } });
    expect(await receiveWithoutDeleting(source, 5)).toEqual([1, 2]);
    const [dead] = await dlq.receive({ waitTimeSeconds: 1 });
    expect(dead?.messageId).toBe(messageId);
    expect(dead?.body).toBe('poison');
    expect(dead?.attributes).toEqual({
      kind: { dataType: 'String', stringValue: 'poison' },
      n: { dataType: 'Number', stringValue: '3' },
    });
  });

  it('moves FIFO messages to a FIFO dead-letter queue', async () => {
    const dlq = await broker.createQueue(uniqueName('dlq', true), { fifo: true });
    const source = await broker.createQueue(uniqueName('src', true), {
      fifo: true,
      deadLetter: { queue: dlq.name, maxReceiveCount: 1 },
      contentBasedDeduplication: true,
    });
    await source.send('poison', { groupId: 'g' });
    expect(await receiveWithoutDeleting(source, 3)).toEqual([1]);
    const [dead] = await dlq.receive({ waitTimeSeconds: 1 });
    expect(dead?.body).toBe('poison');
    expect(dead?.groupId).toBe('g');
  });

  it('redrives back to the source as new messages, in order', async () => {
    const dlq = await broker.createQueue(uniqueName('back-dlq'));
    const source = await broker.createQueue(uniqueName('back-src'), {
      deadLetter: { queue: dlq.name, maxReceiveCount: 1 },
    });
    await dlq.sendBatch(Array.from({ length: 14 }, (_, i) => ({ id: `m${i}`, body: `m${i}` })));
    const progress: number[] = [];
    const result = await dlq.redrive({ onProgress: (p) => progress.push(p.moved) });
    expect(result).toEqual({ from: dlq.name, to: source.name, moved: 14, remaining: 0 });
    expect(progress.at(-1)).toBe(14);
    const bodies: string[] = [];
    for (let i = 0; i < 5 && bodies.length < 14; i++) {
      const batch = await source.receive({ maxMessages: 10, waitTimeSeconds: 1 });
      for (const m of batch) {
        expect(m.receiveCount).toBe(1);
        bodies.push(m.body);
      }
    }
    expect(bodies).toEqual(Array.from({ length: 14 }, (_, i) => `m${i}`));
    expect((await dlq.getAttributes()).visible).toBe(0);
  });
});
