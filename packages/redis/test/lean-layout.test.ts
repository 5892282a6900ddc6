import type { Broker, Queue } from '@msgport/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKeySpace, createRedisBroker } from '../src/index.js';
import { messageIdOf, messageKey } from '../src/message-key.js';
import { deletePrefix, REDIS_URL, uniquePrefix } from './support/env.js';
import { travel } from './support/time-travel.js';

const prefix = uniquePrefix('lean');
const keys = createKeySpace(prefix);
let broker: Broker;
let admin: Redis;
let counter = 0;
const unique = (tag: string) => `${tag}-${++counter}`;

async function receive(queue: Queue, maxMessages: number, visibilityTimeoutSeconds?: number) {
  return queue.receive({
    maxMessages,
    waitTimeSeconds: 0,
    ...(visibilityTimeoutSeconds !== undefined ? { visibilityTimeoutSeconds } : {}),
  });
}

describe('message keys', () => {
  it('are 22 characters, derived from the id and back', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(messageKey(id)).toHaveLength(22);
    expect(messageIdOf(messageKey(id))).toBe(id);
    expect(messageIdOf(messageKey('not-a-uuid'))).toBe('not-a-uuid');
    expect(messageKey('not-a-uuid')).not.toBe(messageKey(id));
  });
});

describe.skipIf(!inject('redisAvailable'))('the lean layout', { concurrent: true }, () => {
  beforeAll(() => {
    broker = createRedisBroker({ url: REDIS_URL, prefix });
    admin = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await broker.close();
    await deletePrefix(REDIS_URL, prefix);
    admin.disconnect();
  });

  it('a message is one hash field and one sorted-set entry: exp while ready, inflight while received', async () => {
    const q = await broker.createQueue(unique('one'));
    await q.sendBatch([
      { id: 'a', body: 'a' },
      { id: 'b', body: 'b' },
    ]);
    const key = (name: 'msg' | 'exp' | 'inflight') => keys.queueKey(q.name, name);
    expect([await admin.hlen(key('msg')), await admin.zcard(key('exp')), await admin.zcard(key('inflight'))]).toEqual([
      2, 2, 0,
    ]);
    const [m] = await receive(q, 1, 30);
    expect(await admin.hexists(key('msg'), messageKey(m?.messageId as string))).toBe(1);
    expect([await admin.hlen(key('msg')), await admin.zcard(key('exp')), await admin.zcard(key('inflight'))]).toEqual([
      2, 1, 1,
    ]);
  });

  it('fair-queue lanes take turns, one message per group per turn, and keep order within a group', async () => {
    const q = await broker.createQueue(unique('lanes'));
    for (const group of ['a', 'b', 'c']) {
      await q.sendBatch(Array.from({ length: 5 }, (_, i) => ({ id: `${i}`, body: `${group}${i}`, groupId: group })));
    }
    const bodies = (await receive(q, 9)).map((m) => m.body);
    expect(bodies).toEqual(['a0', 'b0', 'c0', 'a1', 'b1', 'c1', 'a2', 'b2', 'c2']);
    expect((await receive(q, 10)).map((m) => m.body)).toEqual(['a3', 'b3', 'c3', 'a4', 'b4', 'c4']);
  });

  it('a message deleted while ready is skipped in its lane and not counted', async () => {
    const q = await broker.createQueue(unique('stale'));
    await q.sendBatch(['1', '2', '3'].map((body) => ({ id: body, body })));
    const seen = await receive(q, 10, 0);
    expect(seen.map((m) => m.body)).toEqual(['1', '2', '3']);
    await q.delete(seen[1] as never);
    expect((await q.getAttributes()).visible).toBe(2);
    expect((await receive(q, 10, 30)).map((m) => m.body)).toEqual(['1', '3']);
  });

  it('G39b retention ends an in-flight message: it never comes back and nothing of it stays', async () => {
    const q = await broker.createQueue(unique('g39b'), { retentionSeconds: 60 });
    await q.send('old');
    expect(await receive(q, 1, 120)).toHaveLength(1);
    await travel(admin, keys, q.name, 121);
    expect(await receive(q, 10)).toEqual([]);
    const stats = await q.getAttributes();
    expect([stats.visible, stats.inFlight, stats.delayed]).toEqual([0, 0, 0]);
    expect(await admin.hlen(keys.queueKey(q.name, 'msg'))).toBe(0);
  });
});
