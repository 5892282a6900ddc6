import { connect } from '@msgport/core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { deletePrefix, REDIS_URL, sleep, uniquePrefix } from './support/env.js';

const prefixes: string[] = [];

/**
 * Keys under `prefix`, except FIFO deduplication keys: SQS keeps a deduplication id for 5 minutes
 * whatever happens to the queue, so they expire on their own (`PX 300000`; checked here).
 */
async function keysUnder(prefix: string): Promise<string[]> {
  const admin = new Redis(REDIS_URL);
  try {
    const keys = (await admin.keys(`${prefix}*`)).sort();
    const dedup = keys.filter((key) => /}:dd:/.test(key));
    for (const key of dedup) expect(await admin.pttl(key)).toBeGreaterThan(0);
    return keys.filter((key) => !dedup.includes(key));
  } finally {
    admin.disconnect();
  }
}

function freshUrl(label: string): { url: string; prefix: string } {
  const prefix = uniquePrefix(label);
  prefixes.push(prefix);
  return { url: `${REDIS_URL}?prefix=${encodeURIComponent(prefix)}`, prefix };
}

afterAll(async () => {
  for (const prefix of prefixes) await deletePrefix(REDIS_URL, prefix);
});

describe.skipIf(!inject('redisAvailable'))('nothing is left behind', { concurrent: true }, () => {
  it('create, send, receive, delete, deleteQueue: no key remains but 5-minute dedup ids (not even the wake-up list)', async () => {
    const { url, prefix } = freshUrl('leftover-queue');
    const broker = await connect(url, { logger: false });
    try {
      for (const name of ['smoke-q', 'smoke-q.fifo']) {
        const q = await broker.createQueue(name, { fifo: name.endsWith('.fifo') });
        await q.send('x', name.endsWith('.fifo') ? { groupId: 'g', deduplicationId: 'd' } : {});
        const [m] = await q.receive({ waitTimeSeconds: 1 });
        await q.delete(m as never);
        // A long poll that ends empty, then one still waiting when the queue is deleted.
        expect(await q.receive({ waitTimeSeconds: 1 })).toEqual([]);
        const waiting = q.receive({ waitTimeSeconds: 5 }).catch((error: unknown) => error);
        await sleep(100);
        await broker.deleteQueue(name);
        expect(await waiting).toMatchObject({ code: 'QueueDoesNotExist' });
      }
      expect(await keysUnder(prefix)).toEqual([]);
    } finally {
      await broker.close();
    }
  });

  it('a long poll in another process still ends at once when the queue is deleted', async () => {
    const { url, prefix } = freshUrl('leftover-other');
    const owner = await connect(url, { logger: false });
    const other = await connect(url, { logger: false });
    try {
      await owner.createQueue('shared');
      const started = Date.now();
      const waiting = other
        .queue('shared')
        .receive({ waitTimeSeconds: 10 })
        .catch((error: unknown) => error);
      await sleep(200);
      await owner.deleteQueue('shared');
      expect(await waiting).toMatchObject({ code: 'QueueDoesNotExist' });
      expect(Date.now() - started).toBeLessThan(2000);
      await sleep(100);
      expect(await keysUnder(prefix)).toEqual([]);
    } finally {
      await owner.close();
      await other.close();
    }
  });

  it('topics: create, subscribe, publish, unsubscribe, deleteTopic leave only the queue', async () => {
    const { url, prefix } = freshUrl('leftover-topic');
    const broker = await connect(url, { logger: false });
    try {
      const q = await broker.createQueue('sub');
      const topic = await broker.createTopic('t');
      const subscription = await topic.subscribe(q.name);
      await topic.publish('hello');
      await q.purge();
      await subscription.unsubscribe();
      await broker.deleteTopic('t');
      await broker.deleteQueue('sub');
      expect(await keysUnder(prefix)).toEqual([]);
    } finally {
      await broker.close();
    }
  });
});
