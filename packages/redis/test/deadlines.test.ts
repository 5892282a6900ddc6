import { inspect } from 'node:util';
import { type Broker, connect, isMsgportError, type MsgportError } from '@msgport/core';
import { captureLogger } from '@msgport/test-support';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRedisBroker } from '../src/index.js';
import { sleep, uniquePrefix } from './support/env.js';
import { failure } from './support/failure.js';
import { freePort, PrivateRedis } from './support/redis-server.js';
import { SilentServer } from './support/silent-server.js';

const prefix = uniquePrefix('deadlines');
// Core retries retryable errors; these tests measure one transport call, so core does not retry.
const once = { retry: { attempts: 1 }, logger: false } as const;

/** The message is msgport's own sentence naming the server, not only a client library's text. */
function expectOwnMessage(error: MsgportError, port: number): void {
  const server = `redis://([^@/]*:\\*\\*\\*@)?127\\.0\\.0\\.1:${port}`;
  // The driver's own deadline and core's backstop (`<operation> at <url> did not finish…`) race.
  expect(error.message).toMatch(new RegExp(`^(Redis at |cannot connect to |connecting to |\\w+ at )${server}`));
}

const figures: string[] = [];
afterAll(() => {
  if (figures.length > 0) console.log(`[deadlines] ${figures.join('; ')}`);
});

describe.skipIf(!inject('redisBinaries'))('deadlines on connect', { concurrent: true }, () => {
  it('a refused connection fails Unavailable in well under a second, and nothing keeps retrying', async () => {
    const port = await freePort();
    const { error, ms } = await failure(connect(`redis://user:hunter2-secret@127.0.0.1:${port}`, once));
    figures.push(`refused ${ms} ms`);
    expect(ms).toBeLessThan(1000);
    expect(error).toMatchObject({ code: 'Unavailable', retryable: true, transport: 'redis' });
    expect(error.message).toMatch(/^cannot connect to redis:\/\/user:\*\*\*@127\.0\.0\.1:\d+: connection refused/);
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain('hunter2-secret');
  });

  it('a peer that accepts TCP but never answers fails within connectTimeoutMs and is let go', async () => {
    const silent = await SilentServer.start();
    try {
      const { error, ms } = await failure(connect(`redis://127.0.0.1:${silent.port}?connectTimeoutMs=700`, once));
      figures.push(`silent peer (connectTimeoutMs 700) ${ms} ms`);
      expect(ms).toBeGreaterThanOrEqual(650);
      expect(ms).toBeLessThan(1500);
      expect(['Timeout', 'Unavailable']).toContain(error.code);
      expect(error.retryable).toBe(true);
      expectOwnMessage(error, silent.port);
      const accepted = silent.accepted;
      await sleep(600);
      expect(silent.accepted).toBe(accepted);
      expect(silent.open).toBe(0);
    } finally {
      await silent.close();
    }
  });

  it('the same over TLS (rediss://): the TLS handshake is inside the deadline', async () => {
    const silent = await SilentServer.start();
    try {
      const { error, ms } = await failure(connect(`rediss://127.0.0.1:${silent.port}?connectTimeoutMs=700`, once));
      expect(ms).toBeLessThan(1500);
      expect(['Timeout', 'Unavailable']).toContain(error.code);
    } finally {
      await silent.close();
    }
  });

  it('a lazily connecting broker fails fast on a refused port and works once the server is up', async () => {
    const server = await PrivateRedis.start();
    await server.kill();
    const broker = createRedisBroker({ url: server.url, prefix, ...once });
    try {
      const { error, ms } = await failure(broker.createQueue('lazy'));
      expect(ms).toBeLessThan(1000);
      expect(error.code).toBe('Unavailable');
      await server.start();
      await broker.createQueue('lazy');
    } finally {
      await broker.close();
      await server.destroy();
    }
  });
});

describe.skipIf(!inject('redisBinaries'))('credentials and database', { concurrent: true }, () => {
  let server: PrivateRedis;
  beforeAll(async () => {
    server = await PrivateRedis.start({ args: ['--requirepass', 'right-pass-42', '--databases', '4'] });
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it('a wrong password is PermissionDenied, not retryable, at once', async () => {
    const url = `redis://default:wrong-pass-99@127.0.0.1:${server.port}`;
    const { error, ms } = await failure(connect(url, once));
    figures.push(`bad credentials ${ms} ms`);
    expect(ms).toBeLessThan(1000);
    expect(error).toMatchObject({ code: 'PermissionDenied', retryable: false });
    expectOwnMessage(error, server.port);
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain('wrong-pass-99');
  });

  it('no password for a server that needs one is PermissionDenied', async () => {
    const { error, ms } = await failure(connect(`redis://127.0.0.1:${server.port}`, once));
    expect(ms).toBeLessThan(1000);
    expect(error).toMatchObject({ code: 'PermissionDenied', retryable: false });
    expect(error.message).toMatch(/password/);
  });

  it('a database number the server does not have is InvalidParameter with a clear message', async () => {
    const url = `redis://:right-pass-42@127.0.0.1:${server.port}/9`;
    const { error, ms } = await failure(connect(url, once));
    figures.push(`bad db ${ms} ms`);
    expect(ms).toBeLessThan(1000);
    expect(error).toMatchObject({ code: 'InvalidParameter', retryable: false });
    expect(error.message).toContain('database 9');
    expect(error.message).not.toContain('right-pass-42');
  });
});

describe.skipIf(!inject('redisBinaries'))('credentials changed while connected', () => {
  it('a reconnect refused for its password makes calls PermissionDenied, not an endless Unavailable', async () => {
    const server = await PrivateRedis.start({ args: ['--requirepass', 'old-pass-1'] });
    const admin = new Redis({ port: server.port, password: 'old-pass-1' });
    const broker = await connect(`redis://:old-pass-1@127.0.0.1:${server.port}?prefix=${prefix}`, once);
    try {
      const q = await broker.createQueue('rotated');
      await admin.config('SET', 'requirepass', 'new-pass-2');
      await admin.call('CLIENT', ['KILL', 'TYPE', 'normal', 'SKIPME', 'yes']);
      await sleep(300);
      const { error, ms } = await failure(q.send('after the rotation'));
      expect(ms).toBeLessThan(1000);
      expect(error).toMatchObject({ code: 'PermissionDenied', retryable: false });
      expect(inspect(error, { depth: 10, showHidden: true })).not.toMatch(/old-pass-1|new-pass-2/);
    } finally {
      admin.disconnect();
      await broker.close();
      await server.destroy();
    }
  });
});

describe.skipIf(!inject('redisBinaries'))('deadlines on calls', () => {
  let server: PrivateRedis;
  beforeAll(async () => {
    server = await PrivateRedis.start();
  });
  afterAll(async () => {
    server?.resume();
    await server?.destroy();
  });

  it('a Redis that stops answering (SIGSTOP): send and receive fail within callTimeoutMs', async () => {
    const broker = await connect(`${server.url}?callTimeoutMs=1000&prefix=${prefix}`, once);
    try {
      const q = await broker.createQueue('stopped');
      server.pause();
      const sent = await failure(q.send('into the void'));
      figures.push(`stopped server, send ${sent.ms} ms (callTimeoutMs 1000)`);
      expect(sent.ms).toBeGreaterThanOrEqual(900);
      expect(sent.ms).toBeLessThan(2000);
      expect(sent.error).toMatchObject({ code: 'Timeout', retryable: true });
      expectOwnMessage(sent.error, server.port);
      const received = await failure(q.receive({ waitTimeSeconds: 0 }));
      expect(received.ms).toBeLessThan(2000);
      expect(received.error.code).toBe('Timeout');
      const polled = await failure(q.receive({ waitTimeSeconds: 1 }));
      expect(polled.ms).toBeLessThan(3000);
      server.resume();
      await q.send('after');
      expect((await q.receive({ waitTimeSeconds: 1, maxMessages: 10 })).map((m) => m.body)).toContain('after');
    } finally {
      server.resume();
      await broker.close();
    }
  });
});

describe.skipIf(!inject('redisBinaries'))('a killed Redis', () => {
  let server: PrivateRedis;
  let broker: Broker;
  const logger = captureLogger();
  beforeAll(async () => {
    server = await PrivateRedis.start();
    broker = await connect(`${server.url}?prefix=${prefix}`, { ...once, logger });
  });
  afterAll(async () => {
    await broker?.close();
    await server?.destroy();
  });

  it('reports Unavailable within a couple of seconds in its own words, logs the loss and the recovery', async () => {
    const q = await broker.createQueue('killed');
    const poll = q.receive({ waitTimeSeconds: 4 }).then(
      (messages) => messages,
      (error: unknown) => error,
    );
    await sleep(200);
    const killedAt = Date.now();
    await server.kill();
    const sent = await failure(q.send('lost?'));
    figures.push(`killed server, send ${Date.now() - killedAt} ms`);
    expect(Date.now() - killedAt).toBeLessThan(2000);
    expect(sent.error).toMatchObject({ code: 'Unavailable', retryable: true });
    expectOwnMessage(sent.error, server.port);
    expect((await failure(q.receive())).error.code).toBe('Unavailable');
    await sleep(300);
    const lost = logger.lines.find((line) => line.level === 'warn' && /lost the connection/.test(line.message));
    expect(lost).toBeDefined();
    expect(lost?.message).toContain(`127.0.0.1:${server.port}`);
    // The long poll started before the crash ends by its deadline, it does not hang.
    const pollOutcome = await poll;
    expect(Date.now() - killedAt).toBeLessThan(5000);
    if (!Array.isArray(pollOutcome)) expect(isMsgportError(pollOutcome)).toBe(true);

    // Issue 9 item 5: the server comes back without persistence, so the queue is gone. Every call
    // says so quickly and cleanly once the client has reconnected.
    await server.start();
    const restartedAt = Date.now();
    let last: MsgportError | undefined;
    while (Date.now() - restartedAt < 3000) {
      last = (await failure(q.send('after restart'))).error;
      if (last.code === 'QueueDoesNotExist') break;
      await sleep(50);
    }
    figures.push(`QueueDoesNotExist ${Date.now() - restartedAt} ms after the restart`);
    expect(last?.code).toBe('QueueDoesNotExist');
    expect(Date.now() - restartedAt).toBeLessThan(2000);
    const receiving = await failure(q.receive({ waitTimeSeconds: 2 }));
    expect(receiving.error.code).toBe('QueueDoesNotExist');
    expect(receiving.ms).toBeLessThan(200);
    expect(logger.lines.some((line) => line.level === 'info' && /reconnected/.test(line.message))).toBe(true);
  });
});
