import { randomUUID } from 'node:crypto';
import { connect } from '@msgport/core';
import { DEFAULT_DEADLINES } from '@msgport/core/driver';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RedisCalls } from '../src/calls.js';
import { commandDefaults, type RedisClient } from '../src/connection.js';
import { encodeEnvelope } from '../src/envelope.js';
import { createKeySpace } from '../src/index.js';
import { messageKey } from '../src/message-key.js';
import { ScriptRunner } from '../src/script-runner.js';
import { SCRIPTS } from '../src/scripts/index.js';
import { deletePrefix, REDIS_URL, uniquePrefix } from './support/env.js';

const prefix = uniquePrefix('batch-scripts');
const keys = createKeySpace(prefix);
let counter = 0;
const unique = (tag: string) => `${tag}-${++counter}`;

describe('the command connection', () => {
  it('writes each call at once: no auto-pipelining, which would hold calls back while one is answered', () => {
    expect(commandDefaults(DEFAULT_DEADLINES).enableAutoPipelining).toBe(false);
  });
});

describe.skipIf(!inject('redisAvailable'))(
  'scripts that handle a batch with one write per key',
  { concurrent: true },
  () => {
    let broker: Awaited<ReturnType<typeof connect>>;
    let scripts: ScriptRunner;
    let admin: Redis;
    beforeAll(async () => {
      broker = await connect(`${REDIS_URL}?prefix=${encodeURIComponent(prefix)}`, { logger: false });
      const client = broker.native() as RedisClient;
      const endpoint = { where: 'test', db: 0, ...DEFAULT_DEADLINES };
      scripts = new ScriptRunner(client, new RedisCalls({ client, endpoint, failoverWindowMs: 0, connects: false }));
      admin = new Redis(REDIS_URL);
    });
    afterAll(async () => {
      await broker.close();
      await deletePrefix(REDIS_URL, prefix);
      admin.disconnect();
    });

    const entry = (key: string, body: string, delaySeconds = -1) => [
      key,
      encodeEnvelope(body, {}, undefined),
      delaySeconds,
      '',
      '',
      Buffer.byteLength(body),
    ];

    it('a send naming one message key twice stores it once and reports the second as the same message', async () => {
      const q = await broker.createQueue(unique('twice'));
      const key = messageKey(randomUUID());
      const reply = await scripts.run(SCRIPTS.send, keys.queueKeys(q.name), [
        300_000,
        3,
        ...entry(key, 'first'),
        ...entry(key, 'again'),
        ...entry(messageKey(randomUUID()), 'other'),
      ]);
      expect(reply).toEqual(['OK', 'ok', `dup:${key}:0`, 'ok']);
      expect(await admin.llen(`${prefix}{q:${q.name}}:r:`)).toBe(2);
      const bodies = (await q.receive({ maxMessages: 10, waitTimeSeconds: 0 })).map((m) => m.body);
      expect(bodies).toEqual(['first', 'other']);
    });

    it('a send mixing delayed and immediate messages makes only the immediate ones visible', async () => {
      const q = await broker.createQueue(unique('mixed'));
      await scripts.run(SCRIPTS.send, keys.queueKeys(q.name), [
        300_000,
        3,
        ...entry(messageKey(randomUUID()), 'now'),
        ...entry(messageKey(randomUUID()), 'later', 60),
        ...entry(messageKey(randomUUID()), 'now too', 0),
      ]);
      const stats = await q.getAttributes();
      expect([stats.visible, stats.delayed, stats.inFlight]).toEqual([2, 1, 0]);
      expect((await q.receive({ maxMessages: 10, waitTimeSeconds: 0 })).map((m) => m.body)).toEqual(['now', 'now too']);
    });

    it('a delete naming one receipt handle twice removes the message once and answers ok for both', async () => {
      const q = await broker.createQueue(unique('delete-twice'));
      await q.sendBatch([
        { id: 'a', body: 'a' },
        { id: 'b', body: 'b' },
      ]);
      const [a, b] = await q.receive({ maxMessages: 10, waitTimeSeconds: 0, visibilityTimeoutSeconds: 30 });
      const result = await q.deleteBatch([
        { id: '1', receiptHandle: a?.receiptHandle as string },
        { id: '2', receiptHandle: a?.receiptHandle as string },
        { id: '3', receiptHandle: b?.receiptHandle as string },
      ]);
      expect(result.failed).toEqual([]);
      expect(result.successful.map((r) => r.id)).toEqual(['1', '2', '3']);
      const stats = await q.getAttributes();
      expect([stats.visible, stats.inFlight]).toEqual([0, 0]);
      expect(await admin.hlen(keys.queueKey(q.name, 'msg'))).toBe(0);
    });

    it('a receive rewrites the head of a record (count, receive times, state) and keeps the rest as stored', async () => {
      const q = await broker.createQueue(unique('record'));
      await q.sendBatch([{ id: 'a', body: 'body:with:colons', groupId: 'tenant:1' }]);
      const [key] = await admin.hkeys(keys.queueKey(q.name, 'msg'));
      const before = (await admin.hget(keys.queueKey(q.name, 'msg'), key as string)) as string;
      const reply = await scripts.run(SCRIPTS.receive, keys.queueKeys(q.name), [10, 30, '', 'none']);
      const now = Number(reply[1]).toString(36);
      const after = (await admin.hget(keys.queueKey(q.name, 'msg'), key as string)) as string;
      const [, , , sent, , ...tail] = before.split(':');
      expect(after).toBe(['1', now, now, sent, 'i', ...tail].join(':'));
      expect(reply[6]).toBe(after);
      const again = await scripts.run(SCRIPTS.receive, keys.queueKeys(q.name), [10, 0, '', 'none']);
      expect(again[4]).toBe(0);
    });

    it('a receive reports its visibility deadline as the next due time when nothing is due earlier', async () => {
      const q = await broker.createQueue(unique('due'));
      await q.send('x');
      const reply = await scripts.run(SCRIPTS.receive, keys.queueKeys(q.name), [10, 30, '', 'none']);
      const [, now, due] = reply;
      expect(Number(due) - Number(now)).toBe(30_000);
      expect(Number(due)).toBe(Number((await admin.zrange(keys.queueKey(q.name, 'inflight'), 0, 0, 'WITHSCORES'))[1]));
    });
  },
);
