import { type Broker, consume } from '@msgport/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { skipTitle, unavailable } from './support/helpers.js';
import { AMQP_URL, dropNamespace, openBroker, uniqueNamespace } from './support/rabbitmq.js';

const namespace = uniqueNamespace('channels');
// A small channel_max stands in for the broker's 2,047 reached by a service with a few hundred queues:
// less the driver's own channels (about 6) and 3 kept free for them, about 19 are left for receives.
const CHANNEL_MAX = 28;
let broker: Broker;

function withChannelMax(url: string, channelMax: number): string {
  const parsed = new URL(url);
  parsed.searchParams.set('channelMax', String(channelMax));
  return parsed.toString();
}

/**
 * Channels are a connection's resource: every concurrent receive of a queue may want one of its
 * own, and a service consuming many queues runs past channel_max. Past the budget, receives of a
 * queue share its channels instead of failing.
 */
describe.skipIf(unavailable)(skipTitle('rabbitmq channel budget'), () => {
  beforeAll(async () => {
    broker = await openBroker(namespace, {}, withChannelMax(AMQP_URL, CHANNEL_MAX));
  });
  afterEach(async () => {
    // Deleting a queue closes its channels (and the messages they hold): each case starts with room.
    await Promise.all((await broker.listQueues()).map((name) => broker.deleteQueue(name)));
  });
  afterAll(async () => {
    await broker?.close();
    await dropNamespace(namespace);
  });

  it('more concurrent receives than channels: every one answers, none fails', async () => {
    const queues = await Promise.all(
      Array.from({ length: 12 }, (_, index) => broker.createQueue(`many-${index}`, { visibilityTimeoutSeconds: 60 })),
    );
    await Promise.all(queues.map((queue) => queue.sendBatch([{ id: 'a', body: queue.name }])));
    // Five receives per queue at once: 60 wanted channels against about 19.
    const results = await Promise.allSettled(
      queues.flatMap((queue) =>
        Array.from({ length: 5 }, () => queue.receive({ maxMessages: 10, waitTimeSeconds: 1 })),
      ),
    );
    const failures = results.filter((result) => result.status === 'rejected');
    expect(failures.map((failure) => String((failure as PromiseRejectedResult).reason))).toEqual([]);
    const received = results.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
    expect(received.map((message) => message.rawBody).sort()).toEqual(queues.map((queue) => queue.name).sort());
  }, 30_000);

  it('a queue beyond what the connection can hold channels for fails its receive as Throttled, saying why', async () => {
    const queues = await Promise.all(
      Array.from({ length: 30 }, (_, index) => broker.createQueue(`over-${index}`, { visibilityTimeoutSeconds: 60 })),
    );
    await Promise.all(queues.map((queue) => queue.sendBatch([{ id: 'a', body: queue.name }])));
    // Each receive keeps its message (not deleted), so its channel stays in use: 30 queues, about 19 channels.
    const results = await Promise.allSettled(queues.map((queue) => queue.receive({ waitTimeSeconds: 1 })));
    const received = results.filter((result) => result.status === 'fulfilled');
    const refused = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    expect(received.length).toBeGreaterThanOrEqual(12);
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) {
      expect(error).toMatchObject({ code: 'Throttled', retryable: true });
      expect(String(error.message)).toMatch(/channel_max 28\) has no channel left for receives/);
    }
  }, 30_000);

  it('a channel retired for another queue while it holds a message does not hang that queue', async () => {
    const rich = await broker.createQueue('rich', { visibilityTimeoutSeconds: 600 });
    // Three long polls started one after another take three channels.
    const polls: Promise<unknown>[] = [];
    for (let i = 0; i < 3; i++) {
      polls.push(rich.receive({ waitTimeSeconds: 10 }));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    // One of them gets this message and keeps it (never deleted): its channel is never idle again.
    await rich.send('kept');
    await new Promise((resolve) => setTimeout(resolve, 300));
    let refused: { error: unknown; ms: number } | undefined;
    for (let index = 0; index < 40 && !refused; index++) {
      const queue = await broker.createQueue(`filler-${index}`, { visibilityTimeoutSeconds: 600 });
      await queue.send('x');
      const started = Date.now();
      await queue.receive({ waitTimeSeconds: 0 }).catch((error: unknown) => {
        refused = { error, ms: Date.now() - started };
      });
    }
    // The queue without a channel waited a bounded time for the retiring one, not until its messages go.
    expect(refused?.error).toMatchObject({ code: 'Throttled' });
    expect(refused?.ms).toBeLessThan(10_000);
    await Promise.allSettled(polls);
  }, 60_000);

  it('consumers of more queues than the connection has channels for run without transport errors', async () => {
    const queues = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        broker.createQueue(`consumed-${index}`, { visibilityTimeoutSeconds: 60 }),
      ),
    );
    let handled = 0;
    const errors: string[] = [];
    const consumers = await Promise.all(
      queues.map((queue) =>
        consume(
          queue,
          async (event) => {
            handled += event.Records.length;
          },
          { functionTimeoutSeconds: 5, waitTimeSeconds: 1, logger: false },
        ),
      ),
    );
    for (const consumer of consumers) consumer.on('transportError', (error) => errors.push(error.message));
    try {
      for (const queue of queues) {
        await queue.sendBatch(Array.from({ length: 10 }, (_, index) => ({ id: `m${index}`, body: 'x' })));
      }
      const deadline = Date.now() + 15_000;
      while (handled < 100 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(handled).toBe(100);
      expect(errors).toEqual([]);
    } finally {
      await Promise.all(consumers.map((consumer) => consumer.stop()));
    }
  }, 30_000);
});
