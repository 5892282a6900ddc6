import { MsgportError } from '@msgport/core/driver';
import { captureLogger } from '@msgport/test-support';
import type { Message } from 'amqplib';
import { describe, expect, it } from 'vitest';
import type { QueueChannel } from '../src/queue-channel.js';
import { delivery, queue, receiverWith } from './support/fake-receiver.js';

/** A queue channel whose long poll hands out one delivery; it keeps what it is told to hold. */
function pollingChannel(first: Message): { channel: QueueChannel; held: string[] } {
  const held: string[] = [];
  const channel = {
    brokerQueue: 'q',
    get: async () => [],
    poll: async () => [first],
    hold: (handle: string) => held.push(handle),
    settle: () => true,
  } as unknown as QueueChannel;
  return { channel, held };
}

/**
 * A long poll's first delivery is admitted (tracked, held, invisible), then the receive tops the
 * batch up. If topping up fails, the admitted messages must still reach the caller: a failed
 * receive is retried by core, and what it had admitted would stay hidden until the visibility
 * timeout, received by nobody.
 */
describe('a receive whose top-up fails', () => {
  it('returns the messages it already admitted instead of failing', async () => {
    const { channel, held } = pollingChannel(delivery('m1'));
    let calls = 0;
    const receiver = receiverWith({
      channelFor: async () => {
        calls++;
        if (calls === 1) return channel;
        throw new MsgportError('Throttled', 'no channel left', { transport: 'rabbitmq' });
      },
    });
    const messages = await receiver.receive(queue, { maxMessages: 10, waitTimeSeconds: 5 });
    expect(messages.map((message) => message.messageId)).toEqual(['m1']);
    expect(held).toHaveLength(1);
    expect(calls).toBe(2);
  });

  it('logs the error it absorbed, so a lasting one is seen before the next receive meets it', async () => {
    const { channel } = pollingChannel(delivery('m1'));
    const logger = captureLogger();
    let calls = 0;
    const receiver = receiverWith(
      {
        channelFor: async () => {
          calls++;
          if (calls === 1) return channel;
          throw new MsgportError('Throttled', 'no channel left', { transport: 'rabbitmq' });
        },
      },
      logger,
    );
    await receiver.receive(queue, { maxMessages: 10, waitTimeSeconds: 5 });
    expect(logger.lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: expect.stringContaining('topping up'),
        fields: expect.objectContaining({ queue: 'q', returned: 1, code: 'Throttled', error: 'no channel left' }),
      }),
    ]);
  });

  it('still fails when nothing was admitted', async () => {
    const receiver = receiverWith({
      channelFor: async () => {
        throw new MsgportError('Throttled', 'no channel left', { transport: 'rabbitmq' });
      },
    });
    await expect(receiver.receive(queue, { maxMessages: 10, waitTimeSeconds: 5 })).rejects.toMatchObject({
      code: 'Throttled',
    });
  });
});
