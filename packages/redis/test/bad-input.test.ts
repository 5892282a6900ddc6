import { inspect } from 'node:util';
import { connect, isMsgportError, type MsgportError } from '@msgport/core';
import { type QueueConfig, resolveQueueConfig } from '@msgport/core/driver';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createKeySpace, createRedisBroker, createRedisDriver, type RedisDriver } from '../src/index.js';
import { deletePrefix, REDIS_URL, uniquePrefix } from './support/env.js';
import { freePort, PrivateRedis } from './support/redis-server.js';

const prefix = uniquePrefix('bad-input');
const standard: QueueConfig = resolveQueueConfig('placeholder');
const fifo: QueueConfig = resolveQueueConfig('placeholder.fifo', { fifo: true, deduplicationScope: 'messageGroup' });

async function caught(promise: Promise<unknown>): Promise<MsgportError> {
  try {
    await promise;
  } catch (error) {
    if (isMsgportError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

const send = (driver: RedisDriver, queue: string, body: string, extra: object = {}) =>
  driver.sendBatch(queue, [{ id: 'm', body, attributes: {}, delaySeconds: 0, ...extra }]);

const bodies = async (driver: RedisDriver, queue: string) =>
  (await driver.receive(queue, { maxMessages: 10, waitTimeSeconds: 0 })).map((m) => m.body).sort();

describe.skipIf(!inject('redisAvailable'))('names and ids cannot break keys or scripts', { concurrent: true }, () => {
  let driver: RedisDriver;
  beforeAll(() => {
    driver = createRedisDriver({ url: REDIS_URL, prefix });
  });
  afterAll(async () => {
    await driver.close();
    await deletePrefix(REDIS_URL, prefix);
  });

  // The driver is called directly: core would reject most of these names before any I/O.
  const names = ['a', 'a}', '{a}', 'a:b', 'a%3Ab', 'a:b}:{c', 'ünï©ødé', '😀', 'x:cfg', 'a b'];

  it('queue names with braces, colons, percent signs or unicode are distinct queues', async () => {
    const ns = names.map((name) => `${name}-q`);
    for (const name of ns) await driver.createQueue(name, standard);
    for (const name of ns) await send(driver, name, `body of ${name}`);
    for (const name of ns) expect(await bodies(driver, name)).toEqual([`body of ${name}`]);
    expect(await driver.listQueues('')).toEqual(expect.arrayContaining(ns));
    for (const name of ns) await driver.deleteQueue(name);
  });

  it('group and deduplication ids with braces, colons or unicode never collide', async () => {
    const queue = 'weird-ids.fifo';
    await driver.createQueue(queue, fifo);
    // With dedup scope messageGroup, (group, id) pairs that concatenate alike stay different.
    const pairs = [
      ['a', 'b:c'],
      ['a:b', 'c'],
      ['a', 'b%3Ac'],
      ['{g}', '}:{'],
      ['ü', 'é'],
      ['g', 'x'],
    ];
    for (const [groupId, deduplicationId] of pairs) {
      await send(driver, queue, `${groupId}|${deduplicationId}`, { groupId, deduplicationId });
    }
    // A real duplicate is still one.
    await send(driver, queue, 'dup', { groupId: 'g', deduplicationId: 'x' });
    const got = await driver.receive(queue, { maxMessages: 10, waitTimeSeconds: 0 });
    expect(got.map((m) => m.body).sort()).toEqual(pairs.map(([g, d]) => `${g}|${d}`).sort());
    for (const m of got) expect(m.body.startsWith(`${m.groupId}|`)).toBe(true);
  });

  it('a topic and a queue of the same name, and topics with odd names, stay apart', async () => {
    for (const name of ['a:b', '{t}']) {
      await driver.createQueue(name, standard);
      await driver.createTopic(name, { fifo: false, contentBasedDeduplication: false });
      const id = await driver.subscribe(name, name, {
        rawMessageDelivery: true,
        filterPolicyScope: 'MessageAttributes',
      });
      expect(await driver.listSubscriptions(name)).toHaveLength(1);
      await driver.publishBatch(name, [{ id: 'p', body: `via ${name}`, attributes: {} }]);
      expect(await bodies(driver, name)).toEqual([`via ${name}`]);
      await expect(driver.unsubscribe(`${id}x`)).rejects.toMatchObject({ code: 'SubscriptionDoesNotExist' });
      await driver.unsubscribe(id);
    }
  });

  it('a Redis error reaches the user as a typed MsgportError with the cause attached', async () => {
    const broker = createRedisBroker({ url: REDIS_URL, prefix });
    try {
      const q = await broker.createQueue('wrongtype');
      const admin = new Redis(REDIS_URL);
      await admin.set(createKeySpace(prefix).queueKey('wrongtype', 'msg'), 'not a hash');
      admin.disconnect();
      const error = await caught(q.send('x'));
      expect(error.code).toBe('Internal');
      expect(error.transport).toBe('redis');
      expect(error.message).toContain('WRONGTYPE');
      expect((error.cause as Error).message).toContain('WRONGTYPE');
    } finally {
      await broker.close();
    }
  });
});

describe.skipIf(!inject('redisAvailable'))('connection errors and credentials', () => {
  it('a closed port is Unavailable at connect, fast, with the cause and without the password', async () => {
    const port = await freePort();
    const started = Date.now();
    const error = await caught(connect(`redis://user:hunter2-secret@127.0.0.1:${port}`));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error.code).toBe('Unavailable');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(inspect(error, { depth: 10 })).not.toContain('hunter2-secret');
    expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('operations against an unreachable server fail as Unavailable (retryable)', async () => {
    const port = await freePort();
    const broker = createRedisBroker({
      url: `redis://127.0.0.1:${port}`,
      redisOptions: { maxRetriesPerRequest: 1, retryStrategy: () => 50 },
      retry: { attempts: 1 },
    });
    try {
      const error = await caught(broker.createQueue('x'));
      expect(error.code).toBe('Unavailable');
      expect(error.cause).toBeDefined();
    } finally {
      await broker.close();
    }
  });

  it.skipIf(!inject('redisBinaries'))(
    'a wrong password is PermissionDenied; no password in messages, causes or logs; the right one works',
    async () => {
      const server = await PrivateRedis.start({ args: ['--requirepass', 'right-pass-42'] });
      const printed: string[] = [];
      const spies = [
        vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
          printed.push(String(chunk));
          return true;
        }),
        vi.spyOn(console, 'error').mockImplementation((...args) => void printed.push(args.map(String).join(' '))),
        vi.spyOn(console, 'warn').mockImplementation((...args) => void printed.push(args.map(String).join(' '))),
      ];
      try {
        const error = await caught(connect(`redis://default:wrong-pass-99@127.0.0.1:${server.port}`));
        expect(error.code).toBe('PermissionDenied');
        expect(error.retryable).toBe(false);
        const everything = `${error.message}\n${inspect(error, { depth: 10 })}\n${JSON.stringify(error.cause)}`;
        expect(everything).not.toContain('wrong-pass-99');
        const broker = await connect(`redis://default:right-pass-42@127.0.0.1:${server.port}?prefix=${prefix}`);
        const q = await broker.createQueue('authed');
        await q.send('ok');
        expect((await q.receive()).map((m) => m.body)).toEqual(['ok']);
        await broker.close();
      } finally {
        for (const spy of spies) spy.mockRestore();
        await server.destroy();
      }
      expect(printed.join('\n')).not.toMatch(/wrong-pass-99|right-pass-42/);
    },
  );

  it.skipIf(!inject('redisBinaries'))('NOSCRIPT after SCRIPT FLUSH is handled internally', async () => {
    const server = await PrivateRedis.start();
    const broker = await connect(`${server.url}?prefix=${prefix}`);
    try {
      const q = await broker.createQueue('noscript');
      await q.send('before');
      const admin = new Redis(server.url);
      await admin.script('FLUSH');
      await q.send('after');
      expect((await q.receive({ maxMessages: 10 })).map((m) => m.body).sort()).toEqual(['after', 'before']);
      admin.disconnect();
    } finally {
      await broker.close();
      await server.destroy();
    }
  });
});
