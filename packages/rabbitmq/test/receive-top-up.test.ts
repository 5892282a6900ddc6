import { type Logger, MsgportError, resolveQueueConfig } from '@msgport/core/driver';
import type { Message } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { AgeTracker } from '../src/age-tracker.js';
import type { ConnectionManager } from '../src/connection.js';
import type { ConsumerPool } from '../src/consumer-pool.js';
import { DeliveryTracker } from '../src/delivery-tracker.js';
import { encodeMessage } from '../src/message-codec.js';
import type { Publisher } from '../src/publisher.js';
import type { QueueChannel } from '../src/queue-channel.js';
import { Receiver } from '../src/receiver.js';
import { RegistryState } from '../src/registry-state.js';
import type { SequenceSource } from '../src/sequence.js';
import { Names } from '../src/topology.js';

function delivery(id: string): Message {
  const encoded = encodeMessage({
    messageId: id,
    body: id,
    attributes: {},
    sentAt: Date.now(),
    enqueuedAt: Date.now(),
  });
  return {
    content: encoded.content,
    fields: { redelivered: false },
    properties: encoded.options,
  } as unknown as Message;
}

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

interface LoggedLine {
  readonly level: string;
  readonly message: string;
  readonly fields: Record<string, unknown> | undefined;
}

function recordingLogger(lines: LoggedLine[]): Logger {
  const at =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, fields });
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function receiverWith(pool: Partial<ConsumerPool>, logged: LoggedLine[] = []): Receiver {
  return new Receiver({
    connection: { logger: recordingLogger(logged) } as unknown as ConnectionManager,
    names: new Names(undefined),
    state: new RegistryState(),
    tracker: new DeliveryTracker(),
    pool: pool as ConsumerPool,
    publisher: {} as Publisher,
    sequence: {} as SequenceSource,
    ages: new AgeTracker(),
    fifoPrefetch: 10,
    closing: new AbortController().signal,
  });
}

const queue = { id: '1', name: 'q', config: resolveQueueConfig('q', {}), createdAt: 0 };

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
    const logged: LoggedLine[] = [];
    let calls = 0;
    const receiver = receiverWith(
      {
        channelFor: async () => {
          calls++;
          if (calls === 1) return channel;
          throw new MsgportError('Throttled', 'no channel left', { transport: 'rabbitmq' });
        },
      },
      logged,
    );
    await receiver.receive(queue, { maxMessages: 10, waitTimeSeconds: 5 });
    expect(logged).toEqual([
      {
        level: 'warn',
        message: expect.stringContaining('topping up'),
        fields: expect.objectContaining({ queue: 'q', returned: 1, code: 'Throttled', error: 'no channel left' }),
      },
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
