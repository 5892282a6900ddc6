import { EventEmitter } from 'node:events';
import { AbortedError, MsgportError } from '@msgport/core/driver';
import { captureLogger } from '@msgport/test-support';
import type { Message } from 'amqplib';
import { describe, expect, it, vi } from 'vitest';
import type { ConsumerPool } from '../src/consumer-pool.js';
import type { QueueChannel } from '../src/queue-channel.js';
import { FEED_AFTER_MESSAGES } from '../src/queue-feeds.js';
import { delivery, queue, receiverWith } from './support/fake-receiver.js';

/** The queue's get channel: gets hand out `ready`; a long poll gets nothing, by its deadline or abort. */
function getChannel(ready: Message[]): { channel: QueueChannel; polls: { started: number } } {
  const polls = { started: 0 };
  const channel = {
    brokerQueue: 'q',
    get: async (wanted: number) => ready.splice(0, wanted),
    poll: (waitMs: number, signal: AbortSignal | undefined) => {
      polls.started++;
      return new Promise<Message[]>((resolve, reject) => {
        const timer = setTimeout(() => resolve([]), waitMs);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new AbortedError('receive was aborted', { cause: signal.reason, transport: 'rabbitmq' }));
        });
      });
    },
    hold: () => {},
    release: () => {},
    settle: () => true,
  } as unknown as QueueChannel;
  return { channel, polls };
}

/** The feed's channel: the broker pushes `pushed` as soon as the feed's consumer is registered. */
function feedChannel(pushed: Message[]): QueueChannel {
  return {
    brokerQueue: 'q',
    channel: new EventEmitter(),
    open: true,
    holding: 0,
    consume: async (_prefetch: number, onMessage: (message: Message) => void) => {
      setImmediate(() => {
        for (const message of pushed) onMessage(message);
      });
      return 'feed';
    },
    cancel: async () => {},
    flush: async () => {},
    hold: () => {},
    release: () => {},
    settle: () => true,
  } as unknown as QueueChannel;
}

const deliveries = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => delivery(`${prefix}${i}`));

/**
 * Once receives take `FEED_AFTER_MESSAGES` messages by gets, the queue's feed starts, and its
 * consumer takes every ready message (prefetch 200). A receive whose gets found nothing while the
 * feed was starting used to long-poll the queue for its whole wait: the feed held the messages, so
 * nothing came (a single receive loop stalled for its wait time, 1 s in the bench, at every round).
 */
describe('a long poll while the queue feed starts', () => {
  it('ends when the feed starts and serves the receive from the feed', async () => {
    const { channel, polls } = getChannel(deliveries('g', FEED_AFTER_MESSAGES));
    let releaseFeedChannel: () => void = () => {};
    const feedChannelGiven = new Promise<void>((resolve) => (releaseFeedChannel = resolve));
    const pool: Partial<ConsumerPool> = {
      channelFor: async () => channel,
      reservedChannel: async () => {
        await feedChannelGiven;
        return feedChannel(deliveries('f', 30));
      },
    };
    const receiver = receiverWith(pool);
    for (let taken = 0; taken < FEED_AFTER_MESSAGES; ) {
      taken += (await receiver.receive(queue, { maxMessages: 10, waitTimeSeconds: 20 })).length;
    }
    // The feed is starting; this receive's gets find nothing, so it long-polls.
    const started = Date.now();
    const receiving = receiver.receive(queue, { maxMessages: 10, waitTimeSeconds: 3 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(polls.started).toBe(1);
    releaseFeedChannel();
    const messages = await receiving;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(messages.map((message) => message.messageId)).toEqual(
      deliveries('f', 10).map((m) => m.properties.messageId),
    );
    await receiver.close(Date.now() + 1_000);
  });

  it('a feed that cannot start is logged (debug) and receives go on with gets', async () => {
    const ready = deliveries('g', FEED_AFTER_MESSAGES + 10);
    const { channel } = getChannel(ready);
    const logger = captureLogger();
    const pool: Partial<ConsumerPool> = {
      channelFor: async () => channel,
      reservedChannel: async () => {
        throw new MsgportError('Throttled', 'no channel to spare', { transport: 'rabbitmq' });
      },
    };
    const receiver = receiverWith(pool, logger);
    for (let taken = 0; taken < FEED_AFTER_MESSAGES; ) {
      taken += (await receiver.receive(queue, { maxMessages: 10, waitTimeSeconds: 20 })).length;
    }
    await vi.waitFor(() =>
      expect(logger.lines).toEqual([
        expect.objectContaining({
          level: 'debug',
          message: expect.stringContaining('feed'),
          fields: expect.objectContaining({ queue: 'q', code: 'Throttled', error: 'no channel to spare' }),
        }),
      ]),
    );
    expect(await receiver.receive(queue, { maxMessages: 10, waitTimeSeconds: 20 })).toHaveLength(10);
  });

  it('a poll that the caller aborts still fails Aborted', async () => {
    const { channel } = getChannel([]);
    const receiver = receiverWith({ channelFor: async () => channel });
    const controller = new AbortController();
    const receiving = receiver.receive(queue, { maxMessages: 10, waitTimeSeconds: 20, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 10);
    await expect(receiving).rejects.toMatchObject({ code: 'Aborted' });
  });
});
