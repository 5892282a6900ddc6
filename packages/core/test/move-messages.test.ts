import { describe, expect, it } from 'vitest';
import { Broker } from '../src/broker.js';
import { textCodec } from '../src/codecs.js';
import { moveMessages } from '../src/move-messages.js';
import { ReceivedMessage } from '../src/received-message.js';
import { FakeDriver } from './fake-driver.js';

describe('moveMessages across brokers', () => {
  it('receives, sends to the other broker, then deletes; keeps bodies and attributes', async () => {
    const source = new FakeDriver();
    const target = new FakeDriver();
    const message = (id: string) => ({
      messageId: id,
      receiptHandle: `h-${id}`,
      body: `body-${id}`,
      attributes: { a: { dataType: 'String', stringValue: id } },
      receiveCount: 1,
      sentTimestamp: 0,
      firstReceiveTimestamp: 0,
    });
    source.receiveQueue = [[message('1'), message('2')], [message('3')]];
    const from = new Broker(source).queue('old');
    const to = new Broker(target).queue('new');
    const progress: number[] = [];
    const moved = await moveMessages(from, to, { onProgress: (n) => progress.push(n) });
    expect(moved).toBe(3);
    expect(progress).toEqual([2, 3]);
    const sent = target.calls.filter((c) => c.method === 'sendBatch').flatMap((c) => c.args[1] as { body: string }[]);
    expect(sent.map((e) => e.body)).toEqual(['body-1', 'body-2', 'body-3']);
    const deleted = source.calls
      .filter((c) => c.method === 'deleteBatch')
      .flatMap((c) => c.args[1] as { receiptHandle: string }[]);
    expect(deleted.map((e) => e.receiptHandle)).toEqual(['h-1', 'h-2', 'h-3']);
    const order = source.calls.map((c) => c.method).filter((m) => m !== 'getQueue');
    expect(order.indexOf('deleteBatch')).toBeGreaterThan(order.indexOf('receive'));
    expect(new ReceivedMessage(message('x'), textCodec).md5OfBody).toHaveLength(32);
  });
});
