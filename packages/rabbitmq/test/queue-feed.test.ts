import { EventEmitter } from 'node:events';
import type { Message } from 'amqplib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeMessage, HEADER } from '../src/message-codec.js';
import type { QueueChannel } from '../src/queue-channel.js';
import { FEED_IDLE_MS, FEED_PREFETCH, FEED_STALE_MS, QueueFeed } from '../src/queue-feed.js';
import { unservedCopy } from '../src/unserved-return.js';

const message = (messageId: string, headers: Record<string, unknown> = {}) =>
  ({
    content: Buffer.from(messageId),
    fields: { redelivered: false },
    properties: { messageId, headers },
  }) as unknown as Message;

/** The parts of a QueueChannel a feed uses, recording what it settles. */
class FakeChannel {
  readonly channel = new EventEmitter();
  readonly settled: [string, 'ack' | 'reject'][] = [];
  open = true;
  holding = 0;
  onMessage: (message: Message | null) => void = () => {};
  /** Deliveries the broker sends between the cancel and its cancel-ok. */
  inFlightAtCancel: Message[] = [];
  cancelled = false;

  async consume(_prefetch: number, onMessage: (message: Message | null) => void): Promise<string> {
    this.onMessage = onMessage;
    return 'tag';
  }

  async cancel(): Promise<void> {
    for (const m of this.inFlightAtCancel) this.onMessage(m);
    this.cancelled = true;
  }

  async flush(): Promise<void> {}

  settle(raw: Message, how: 'ack' | 'reject'): boolean {
    this.settled.push([raw.properties.messageId as string, how]);
    return true;
  }

  close(): void {
    this.open = false;
    this.channel.emit('close');
  }
}

async function startFeed(returned: (raw: Message) => Promise<boolean> = async () => true) {
  const fake = new FakeChannel();
  const stopped: QueueFeed[] = [];
  const feed = await QueueFeed.start(fake as unknown as QueueChannel, {
    returnUnserved: returned,
    onStopped: (s) => stopped.push(s),
  });
  return { fake, feed, stopped };
}

describe('QueueFeed: a long-lived consumer and its buffer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('serves buffered deliveries oldest first; a waiting receive wakes at the first delivery', async () => {
    const { fake, feed } = await startFeed();
    const controller = new AbortController();
    const waiting = feed.waitForDelivery(10, Date.now() + 5_000, controller.signal);
    fake.onMessage(message('a'));
    fake.onMessage(message('b'));
    await waiting;
    expect(feed.buffered).toBe(2);
    expect(feed.take(1).map((m) => m.properties.messageId)).toEqual(['a']);
    expect(feed.take(10).map((m) => m.properties.messageId)).toEqual(['b']);
    await feed.stop();
  });

  it('a wait ends at its deadline or abort with nothing buffered', async () => {
    const { feed } = await startFeed();
    const started = Date.now();
    await feed.waitForDelivery(10, Date.now() + 50, new AbortController().signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    const controller = new AbortController();
    const aborted = feed.waitForDelivery(10, Date.now() + 60_000, controller.signal);
    controller.abort();
    await aborted;
    expect(feed.buffered).toBe(0);
    await feed.stop();
  });

  it('a finished wait leaves no abort listener behind (receives without a signal of their own share one)', async () => {
    const { fake, feed } = await startFeed();
    const shared = new AbortController().signal;
    const listeners = new Set<unknown>();
    const add = shared.addEventListener.bind(shared);
    const remove = shared.removeEventListener.bind(shared);
    shared.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      listeners.add(args[1]);
      add(...args);
    }) as AbortSignal['addEventListener'];
    shared.removeEventListener = ((...args: Parameters<AbortSignal['removeEventListener']>) => {
      listeners.delete(args[1]);
      remove(...args);
    }) as AbortSignal['removeEventListener'];
    const woken = feed.waitForDelivery(10, Date.now() + 5_000, shared);
    const timedOut = feed.waitForDelivery(10, Date.now() + 20, shared);
    await timedOut;
    fake.onMessage(message('a'));
    await woken;
    expect(listeners.size).toBe(0);
    await feed.stop();
  });

  it('is saturated when in-flight plus buffered deliveries reach the prefetch', async () => {
    const { fake, feed } = await startFeed();
    fake.holding = FEED_PREFETCH - 1;
    expect(feed.saturated).toBe(false);
    fake.onMessage(message('a'));
    expect(feed.saturated).toBe(true);
    await feed.stop();
  });

  it('stop cancels, then copies back everything buffered (also what arrived before cancel-ok); unconfirmed copies are rejected', async () => {
    const returned: string[] = [];
    const { fake, feed, stopped } = await startFeed(async (raw) => {
      returned.push(raw.properties.messageId as string);
      return raw.properties.messageId !== 'c';
    });
    fake.onMessage(message('a'));
    fake.inFlightAtCancel = [message('b'), message('c')];
    await feed.stop();
    expect(fake.cancelled).toBe(true);
    expect(returned).toEqual(['a', 'b', 'c']);
    expect(fake.settled).toEqual([
      ['a', 'ack'],
      ['b', 'ack'],
      ['c', 'reject'],
    ]);
    expect([feed.running, feed.buffered, stopped]).toEqual([false, 0, [feed]]);
  });

  it('stop with a give-up time ends then though copies are unconfirmed, and says how many it left to the broker', async () => {
    const confirmed = new Map<string, () => void>();
    const { fake, feed, stopped } = await startFeed(
      (raw) =>
        new Promise<boolean>((resolve) => confirmed.set(raw.properties.messageId as string, () => resolve(true))),
    );
    fake.onMessage(message('a'));
    fake.onMessage(message('b'));
    const started = Date.now();
    const left = await feed.stop(started + 300);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(left).toBe(2);
    // Nothing was acked: closing the channel next makes the broker requeue both originals.
    expect(fake.settled).toEqual([]);
    expect([feed.running, stopped]).toEqual([false, [feed]]);
    // A copy confirmed afterwards still acks its original if the channel is open then.
    confirmed.get('a')?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.settled).toEqual([['a', 'ack']]);
  });

  it('a close during an idle stop brings the give-up time forward', async () => {
    const { fake, feed } = await startFeed(() => new Promise<boolean>(() => {}));
    fake.onMessage(message('a'));
    const idle = feed.stop();
    const started = Date.now();
    const left = await feed.stop(started + 200);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(left).toBe(1);
    expect(await idle).toBe(1);
  });

  it('a give-up time also bounds the wait for quiet and for cancel-ok', async () => {
    const { fake, feed } = await startFeed(async () => true);
    fake.cancel = () => new Promise<void>(() => {});
    const delivering = setInterval(() => fake.onMessage(message('x')), 5);
    const started = Date.now();
    await feed.stop(started + 150);
    clearInterval(delivering);
    expect(Date.now() - started).toBeLessThan(400);
  });

  it('stops by itself when no receive asked for FEED_IDLE_MS; a waiting receive keeps it running', async () => {
    vi.useFakeTimers();
    const { fake, feed } = await startFeed();
    const controller = new AbortController();
    const waiting = feed.waitForDelivery(10, Date.now() + 10 * FEED_IDLE_MS, controller.signal);
    await vi.advanceTimersByTimeAsync(3 * FEED_IDLE_MS);
    expect(feed.running).toBe(true);
    fake.onMessage(message('a'));
    await waiting;
    await vi.advanceTimersByTimeAsync(2 * FEED_IDLE_MS);
    expect(feed.running).toBe(false);
    expect(fake.settled).toEqual([['a', 'ack']]);
  });

  it('stops when its oldest buffered delivery waited FEED_STALE_MS: a slow taker does not hoard what other consumers could take', async () => {
    vi.useFakeTimers();
    const { fake, feed } = await startFeed();
    for (const id of 'abcdefghij') fake.onMessage(message(id));
    const taken: string[] = [];
    // Receives keep asking (so the feed is never idle) but take one message every 500 ms.
    for (let at = 500; at < FEED_STALE_MS; at += 500) {
      await vi.advanceTimersByTimeAsync(500);
      taken.push(...feed.take(1).map((m) => m.properties.messageId as string));
    }
    expect(feed.running).toBe(true);
    await vi.advanceTimersByTimeAsync(600);
    expect(feed.running).toBe(false);
    expect(taken).toEqual(['a', 'b', 'c']);
    // The rest went back as copies, their originals acked.
    expect(fake.settled.map(([id]) => id)).toEqual([...'defghij']);
  });

  it('a closed channel drops the buffer (the broker took it back), wakes waiters and ends the feed', async () => {
    const { fake, feed, stopped } = await startFeed();
    fake.onMessage(message('a'));
    feed.take(1);
    const waiting = feed.waitForDelivery(10, Date.now() + 60_000, new AbortController().signal);
    fake.onMessage(message('b'));
    fake.close();
    await waiting;
    expect([feed.running, feed.buffered, stopped.length]).toEqual([false, 0, 1]);
  });

  it('the broker cancelling the consumer (queue deleted) ends the feed', async () => {
    const { fake, feed, stopped } = await startFeed();
    fake.onMessage(message('a'));
    fake.onMessage(null);
    expect([feed.running, feed.buffered, stopped.length]).toEqual([false, 0, 1]);
  });

  it('purge acks the buffered deliveries it selects', async () => {
    const { fake, feed } = await startFeed();
    for (const id of ['a', 'b', 'c']) fake.onMessage(message(id));
    feed.purge((raw) => raw.properties.messageId !== 'b');
    expect(fake.settled).toEqual([
      ['c', 'ack'],
      ['a', 'ack'],
    ]);
    expect(feed.take(10).map((m) => m.properties.messageId)).toEqual(['b']);
    await feed.stop();
  });
});

describe('unservedCopy: an unserved delivery goes back with its receive count', () => {
  it('carries the broker count plus earlier receives in x-mq-prior and drops the broker headers', () => {
    const raw = message('m-1', {
      'x-delivery-count': 2,
      [HEADER.priorReceives]: 1,
      [HEADER.sentAt]: 1_000,
      other: 'kept',
    });
    const { content, options } = unservedCopy(raw, 'q');
    expect(content.toString()).toBe('m-1');
    expect(options.messageId).toBe('m-1');
    expect(options.mandatory).toBe(true);
    expect(options.headers).toEqual({ [HEADER.priorReceives]: 3, [HEADER.sentAt]: 1_000, other: 'kept' });
    // Delivered again with a fresh broker count, it reports exactly the receives it had.
    const again = { ...raw, properties: { ...raw.properties, headers: options.headers } } as Message;
    expect(decodeMessage(again, 'q').priorDeliveries).toBe(3);
  });

  it('a never-received delivery goes back without x-mq-prior', () => {
    const { options } = unservedCopy(message('m-2', { 'x-delivery-count': 0 }), 'q');
    expect(options.headers).toEqual({});
  });
});
