import type { Broker, Queue } from '@msgport/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKeySpace, createRedisBroker, type RedisDriver } from '../src/index.js';
import { deletePrefix, REDIS_URL, sleep, uniquePrefix } from './support/env.js';
import { travel } from './support/time-travel.js';

const prefix = uniquePrefix('semantics');
const keys = createKeySpace(prefix);
let broker: Broker;
let admin: Redis;
let counter = 0;
const unique = (tag: string, fifo = false) => `${tag}-${++counter}${fifo ? '.fifo' : ''}`;

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code });
}

/** Observes a promise at once, so a rejection before the assertion is not "unhandled". */
function observed<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

async function receiveAll(queue: Queue, options: { visibilityTimeoutSeconds?: number } = {}) {
  return queue.receive({ maxMessages: 10, waitTimeSeconds: 0, ...options });
}

describe.skipIf(!inject('redisAvailable'))('redis semantics', { concurrent: true }, () => {
  beforeAll(() => {
    broker = createRedisBroker({ url: REDIS_URL, prefix });
    admin = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await broker.close();
    await deletePrefix(REDIS_URL, prefix);
    admin.disconnect();
  });

  describe('the manual-clock cases of the suite, with server-side time travel', () => {
    it('G38c purge is refused within 60 s and allowed again after', async () => {
      const q = await broker.createQueue(unique('g38c'));
      await q.purge();
      await travel(admin, keys, q.name, 59);
      await expectCode(q.purge(), 'PurgeInProgress');
      await travel(admin, keys, q.name, 1);
      await q.purge();
    });

    it('G39a a message older than retentionSeconds is never delivered nor dead-lettered', async () => {
      const dlq = await broker.createQueue(unique('g39a-dlq'));
      const q = await broker.createQueue(unique('g39a'), {
        retentionSeconds: 60,
        deadLetter: { queue: dlq.name, maxReceiveCount: 1 },
      });
      await q.send('old');
      await travel(admin, keys, q.name, 59);
      expect((await q.getAttributes()).visible).toBe(1);
      await travel(admin, keys, q.name, 2);
      expect(await receiveAll(q)).toEqual([]);
      expect((await q.getAttributes()).visible).toBe(0);
      expect(await receiveAll(dlq)).toEqual([]);
      expect(await admin.hlen(keys.queueKey(q.name, 'msg'))).toBe(0);
    });

    it('G39b retention also ends an in-flight message', async () => {
      const q = await broker.createQueue(unique('g39b'), { retentionSeconds: 60 });
      await q.send('in flight');
      expect(await q.receive({ visibilityTimeoutSeconds: 120 })).toHaveLength(1);
      await travel(admin, keys, q.name, 121);
      expect(await receiveAll(q)).toEqual([]);
      const stats = await q.getAttributes();
      expect([stats.visible, stats.inFlight, stats.delayed]).toEqual([0, 0, 0]);
    });

    it('H49 the dedup window is 5 minutes: suppressed at 299 s, a new message after 300 s', async () => {
      const q = await broker.createQueue(unique('h49', true), { fifo: true });
      const first = await q.send('body', { groupId: 'g', deduplicationId: 'X' });
      const [m] = await receiveAll(q);
      await q.delete(m as never);
      const base = keys.queueKey(q.name, 'cfg').slice(0, -'cfg'.length);
      const [, dedupKeys] = await admin.scan('0', 'MATCH', `${base.replace(/[[\]]/g, '\\$&')}dd:*`, 'COUNT', 100_000);
      expect(dedupKeys).toHaveLength(1);
      expect(await admin.pttl(dedupKeys[0] as string)).toBeGreaterThan(295_000);
      await travel(admin, keys, q.name, 299);
      expect((await q.send('body', { groupId: 'g', deduplicationId: 'X' })).messageId).toBe(first.messageId);
      expect(await receiveAll(q)).toEqual([]);
      await travel(admin, keys, q.name, 2);
      const later = await q.send('body', { groupId: 'g', deduplicationId: 'X' });
      expect(later.messageId).not.toBe(first.messageId);
      expect((await receiveAll(q)).map((x) => x.messageId)).toEqual([later.messageId]);
    });

    it('F38 the maximum delay of 900 s holds the message for 15 minutes', async () => {
      const q = await broker.createQueue(unique('f38'));
      await q.send('late', { delaySeconds: 900 });
      await travel(admin, keys, q.name, 898);
      expect(await receiveAll(q)).toEqual([]);
      expect((await q.getAttributes()).delayed).toBe(1);
      await travel(admin, keys, q.name, 2);
      expect((await receiveAll(q)).map((m) => m.body)).toEqual(['late']);
    });

    it('the 12 h visibility cap counts from the receive', async () => {
      const q = await broker.createQueue(unique('cap'));
      await q.send('x');
      const [m] = await q.receive({ visibilityTimeoutSeconds: 43_200 });
      await travel(admin, keys, q.name, 43_000);
      await expectCode(q.changeVisibility(m as never, 201), 'InvalidParameter');
      await q.changeVisibility(m as never, 199);
    });
  });

  describe('receive', () => {
    it('a receive with visibility 0 returns each message once (and they stay available)', async () => {
      const q = await broker.createQueue(unique('vt0'));
      await q.send('only one');
      const got = await receiveAll(q, { visibilityTimeoutSeconds: 0 });
      expect(got.map((m) => `${m.body}#${m.receiveCount}`)).toEqual(['only one#1']);
      expect((await receiveAll(q, { visibilityTimeoutSeconds: 0 })).map((m) => m.receiveCount)).toEqual([2]);
      const fifo = await broker.createQueue(unique('vt0', true), { fifo: true, contentBasedDeduplication: true });
      await fifo.sendBatch(['a', 'b'].map((body) => ({ id: body, body, groupId: 'g' })));
      expect((await receiveAll(fifo, { visibilityTimeoutSeconds: 0 })).map((m) => m.body)).toEqual(['a', 'b']);
    });

    it('fair queues interleave groups on standard queues', async () => {
      const q = await broker.createQueue(unique('fair'));
      await q.sendBatch(Array.from({ length: 6 }, (_, i) => ({ id: `a${i}`, body: `a${i}`, groupId: 'noisy' })));
      await q.sendBatch(Array.from({ length: 2 }, (_, i) => ({ id: `b${i}`, body: `b${i}`, groupId: 'quiet' })));
      const bodies = (await receiveAll(q)).map((m) => m.body);
      expect(bodies.slice(0, 4).sort()).toEqual(['a0', 'a1', 'b0', 'b1']);
      expect(bodies.filter((b) => b.startsWith('a'))).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5']);
    });

    it('receipt handles belong to one queue incarnation', async () => {
      const name = unique('inc');
      const q = await broker.createQueue(name);
      const other = await broker.createQueue(unique('other'));
      await q.send('x');
      const [m] = await receiveAll(q);
      const handle = m?.receiptHandle as string;
      await expectCode(other.delete(handle), 'ReceiptHandleIsInvalid');
      await expectCode(q.delete('not-a-handle'), 'ReceiptHandleIsInvalid');
      await broker.deleteQueue(name);
      const again = await broker.createQueue(name);
      await expectCode(again.changeVisibility(handle, 5), 'ReceiptHandleIsInvalid');
      await expectCode(again.delete(handle), 'ReceiptHandleIsInvalid');
    });

    it('deleting a queue ends pending long polls (this process and another) with QueueDoesNotExist', async () => {
      const name = unique('gone');
      await broker.createQueue(name);
      const other = createRedisBroker({ url: REDIS_URL, prefix });
      try {
        const here = observed(broker.queue(name).receive({ waitTimeSeconds: 20 }));
        const there = observed(other.queue(name).receive({ waitTimeSeconds: 20 }));
        await sleep(300);
        const started = Date.now();
        await broker.deleteQueue(name);
        await expectCode(here, 'QueueDoesNotExist');
        await expectCode(there, 'QueueDoesNotExist');
        expect(Date.now() - started).toBeLessThan(2000);
      } finally {
        await other.close();
      }
    });

    it('a long poll blocks instead of polling, and another process wakes it at once', async () => {
      const own = createRedisBroker({ url: REDIS_URL, prefix });
      const other = createRedisBroker({ url: REDIS_URL, prefix });
      const q = await own.createQueue(unique('block'));
      const client = own.native() as Redis;
      const call = client.call.bind(client);
      let scripts = 0;
      (client as { call: unknown }).call = (command: string, ...args: unknown[]) => {
        if (command === 'EVALSHA' || command === 'EVAL') scripts++;
        return (call as (...a: unknown[]) => unknown)(command, ...args);
      };
      try {
        const empty = Date.now();
        expect(await q.receive({ waitTimeSeconds: 3 })).toEqual([]);
        expect(Date.now() - empty).toBeGreaterThanOrEqual(2900);
        // One receive before blocking, one when the new blocking connection is ready (a wake-up may
        // have come and gone while it opened) and one when the poll's deadline ends the block.
        expect(scripts).toBeLessThanOrEqual(3);
        const poll = q.receive({ waitTimeSeconds: 10 });
        await sleep(200);
        const sent = Date.now();
        await other.queue(q.name).send('wake up');
        expect((await poll).map((m) => m.body)).toEqual(['wake up']);
        expect(Date.now() - sent).toBeLessThan(500);
      } finally {
        await own.close();
        await other.close();
      }
    });

    it('an aborted long poll rejects with Aborted and loses nothing', async () => {
      const q = await broker.createQueue(unique('abort'));
      const controller = new AbortController();
      const poll = observed(q.receive({ waitTimeSeconds: 20, signal: controller.signal }));
      await sleep(100);
      controller.abort();
      await expectCode(poll, 'Aborted');
      await q.send('after');
      expect((await receiveAll(q)).map((m) => m.body)).toEqual(['after']);
    });

    it('closing the broker ends long polls with Closed', async () => {
      const other = createRedisBroker({ url: REDIS_URL, prefix });
      const q = await other.createQueue(unique('closed'));
      const poll = observed(q.receive({ waitTimeSeconds: 20 }));
      await sleep(100);
      await other.close();
      await expectCode(poll, 'Closed');
    });
  });

  describe('stored state', () => {
    it('deleteQueue removes every key of the queue, including FIFO group lists', async () => {
      const q = await broker.createQueue(unique('clean', true), { fifo: true, contentBasedDeduplication: true });
      await q.sendBatch(['a', 'b', 'c'].map((body, i) => ({ id: body, body, groupId: `g{${i}}:x` })));
      await receiveAll(q);
      await broker.deleteQueue(q.name);
      const tag = `{${keys.queueTag(q.name)}}`;
      const [, left] = await admin.scan('0', 'MATCH', `${prefix}${tag.replace(/[[\]]/g, '\\$&')}*`, 'COUNT', 100_000);
      // Only the dedup keys of the old incarnation remain, expiring on their own (PX 300000).
      expect(left.filter((key) => !key.includes(':dd:') && !key.endsWith(':wake'))).toEqual([]);
    });

    it('messages of a purged queue are gone, their handles are stale no-ops', async () => {
      const q = await broker.createQueue(unique('purge'));
      await q.sendBatch(['a', 'b'].map((body) => ({ id: body, body })));
      const [m] = await q.receive();
      await q.purge();
      await q.delete(m as never);
      await expectCode(q.changeVisibility(m as never, 10), 'ReceiptHandleIsInvalid');
      expect(await receiveAll(q)).toEqual([]);
    });
  });

  it('exposes the ioredis client and the driver through native()', () => {
    const client = broker.native() as RedisDriver['client'];
    expect(typeof client.call).toBe('function');
  });
});
