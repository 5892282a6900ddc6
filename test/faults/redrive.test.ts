import { type Broker, connect, ManualClock, moveMessages } from '@msgport/core';
import '@msgport/memory';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let clock: ManualClock;
let broker: Broker;

beforeEach(async () => {
  clock = new ManualClock();
  broker = await connect('memory://', { transportOptions: { clock }, logger: false });
});
afterEach(() => broker.close());

/** Fails the test if `work` takes longer than `ms` of real time: the redrive must end by itself. */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('redrive always ends', () => {
  it('to the queue itself is InvalidParameter, and nothing moves', async () => {
    const dlq = await broker.createQueue('dlq');
    await dlq.send('a');
    await expect(dlq.redrive({ to: dlq.name })).rejects.toMatchObject({ code: 'InvalidParameter' });
    expect((await dlq.getAttributes()).visible).toBe(1);
  });

  it('a FIFO group held by a message in flight elsewhere: moves the rest and reports what is left', async () => {
    const dlq = await broker.createQueue('dlq.fifo', { fifo: true, contentBasedDeduplication: true });
    const source = await broker.createQueue('src.fifo', {
      fifo: true,
      contentBasedDeduplication: true,
      deadLetter: { queue: dlq.name, maxReceiveCount: 3 },
    });
    await dlq.send('held-1', { groupId: 'held' });
    await dlq.send('held-2', { groupId: 'held' });
    await dlq.send('free-1', { groupId: 'free' });
    const [inFlight] = await dlq.receive({ visibilityTimeoutSeconds: 300 });
    expect(inFlight?.body).toBe('held-1');

    const result = await within(2_000, dlq.redrive());
    expect(result).toEqual({ from: dlq.name, to: source.name, moved: 1, remaining: 2 });
    expect((await source.receive({ maxMessages: 10 })).map((m) => m.body)).toEqual(['free-1']);

    // Once the group is free again, a second redrive moves the rest, in order.
    await clock.advance(301);
    expect(await within(2_000, dlq.redrive())).toMatchObject({ moved: 2, remaining: 0 });
  });

  it('every message in flight elsewhere: moves nothing and ends at once', async () => {
    const dlq = await broker.createQueue('dlq');
    const to = await broker.createQueue('to');
    for (const body of ['a', 'b', 'c']) await dlq.send(body);
    await dlq.receive({ maxMessages: 10, visibilityTimeoutSeconds: 60 });
    expect(await within(2_000, dlq.redrive({ to: to.name }))).toEqual({
      from: 'dlq',
      to: 'to',
      moved: 0,
      remaining: 3,
    });
  });

  it('delayed messages are counted as remaining, not waited for', async () => {
    const dlq = await broker.createQueue('dlq');
    const to = await broker.createQueue('to');
    await dlq.send('now');
    await dlq.send('later', { delaySeconds: 60 });
    expect(await within(2_000, dlq.redrive({ to: to.name }))).toEqual({
      from: 'dlq',
      to: 'to',
      moved: 1,
      remaining: 1,
    });
  });

  it('an aborted signal stops it before the next batch', async () => {
    const dlq = await broker.createQueue('dlq');
    const to = await broker.createQueue('to');
    for (let i = 0; i < 25; i++) await dlq.send(`m${i}`);
    const controller = new AbortController();
    const error = await dlq
      .redrive({ to: to.name, signal: controller.signal, onProgress: () => controller.abort() })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'Aborted' });
    expect((await to.getAttributes()).visible).toBe(10);
  });
});

describe('moveMessages always ends', () => {
  it('from a queue to itself is InvalidParameter', async () => {
    const q = await broker.createQueue('q');
    await expect(moveMessages(q, broker.queue('q'))).rejects.toMatchObject({ code: 'InvalidParameter' });
  });

  it('a FIFO group held elsewhere ends the move instead of spinning', async () => {
    const from = await broker.createQueue('from.fifo', { fifo: true, contentBasedDeduplication: true });
    const to = await broker.createQueue('to.fifo', { fifo: true, contentBasedDeduplication: true });
    await from.send('held-1', { groupId: 'g' });
    await from.send('held-2', { groupId: 'g' });
    await from.receive({ visibilityTimeoutSeconds: 300 });
    expect(await within(2_000, moveMessages(from, to))).toBe(0);
  });
});
