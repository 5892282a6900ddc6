import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Broker, connect, consume, type SendBatchEntry } from '@msgport/core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createRedisBroker } from '../src/index.js';
import { deletePrefix, REDIS_URL, sleep, uniquePrefix } from './support/env.js';
import { PrivateRedis } from './support/redis-server.js';
import { TcpProxy } from './support/tcp-proxy.js';

const prefix = uniquePrefix('fault');
const url = `${REDIS_URL}?prefix=${encodeURIComponent(prefix)}`;
const noRedis = !inject('redisAvailable');
const noBinaries = !inject('redisBinaries');

afterAll(async () => {
  if (!noRedis) await deletePrefix(REDIS_URL, prefix);
});

/** Receives until `count` messages arrived (or the time is up), deleting nothing. */
async function receiveCount(broker: Broker, queue: string, count: number, timeoutMs: number) {
  const got: Awaited<ReturnType<ReturnType<Broker['queue']>['receive']>> = [];
  const deadline = Date.now() + timeoutMs;
  while (got.length < count && Date.now() < deadline) {
    got.push(...(await broker.queue(queue).receive({ maxMessages: 10, waitTimeSeconds: 1 })));
  }
  return got;
}

describe.skipIf(noRedis)('a consumer dies holding messages', { concurrent: true }, () => {
  it('its connection killed mid-batch: the messages return after their visibility timeout, receiveCount + 1', async () => {
    const a = await connect(url);
    const b = await connect(url);
    const admin = new Redis(REDIS_URL);
    try {
      const q = await a.createQueue(`killed-${Date.now()}`);
      await q.sendBatch(Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, body: `m${i}` })));
      const held = await q.receive({ maxMessages: 10, visibilityTimeoutSeconds: 3 });
      const receivedAt = Date.now();
      expect(held).toHaveLength(10);
      // Mid-batch: the consumer's connection is killed by the server and the consumer is gone.
      const id = await (a.native() as Redis).call('CLIENT', ['ID']);
      expect(await admin.call('CLIENT', ['KILL', 'ID', String(id)])).toBe(1);
      expect(await b.queue(q.name).receive({ maxMessages: 10, waitTimeSeconds: 1 })).toEqual([]);
      const back = await receiveCount(b, q.name, 10, 8000);
      expect(Date.now() - receivedAt).toBeGreaterThanOrEqual(2900);
      expect(back.map((m) => m.body).sort()).toEqual(held.map((m) => m.body).sort());
      expect(new Set(back.map((m) => m.receiveCount))).toEqual(new Set([2]));
      // The killed client reconnects by itself.
      expect((await q.getAttributes()).inFlight).toBe(10);
    } finally {
      admin.disconnect();
      await a.close();
      await b.close();
    }
  });

  it('a consumer process killed with SIGKILL mid-batch: nothing is lost, nothing returns early', async () => {
    const b = await connect(url);
    try {
      const q = await b.createQueue(`sigkill-${Date.now()}`);
      await q.sendBatch(Array.from({ length: 5 }, (_, i) => ({ id: `m${i}`, body: `m${i}` })));
      const script = fileURLToPath(new URL('./support/crash-consumer.ts', import.meta.url));
      const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', script, url, q.name, '3'], {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (data) => {
          out += String(data);
          if (out.includes('\n')) resolve(out);
        });
        child.once('exit', (code) => reject(new Error(`the crash consumer exited early (${code})`)));
      });
      const receivedAt = Date.now();
      expect(JSON.parse(line.replace(/^received /, '')).sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
      child.kill('SIGKILL');
      expect(await q.receive({ maxMessages: 10, waitTimeSeconds: 1 })).toEqual([]);
      const back = await receiveCount(b, q.name, 5, 8000);
      expect(Date.now() - receivedAt).toBeGreaterThanOrEqual(2000);
      expect(back.map((m) => `${m.body}#${m.receiveCount}`).sort()).toEqual(['m0#2', 'm1#2', 'm2#2', 'm3#2', 'm4#2']);
    } finally {
      await b.close();
    }
  });

  it('a hung blocking connection is replaced by the watchdog; long polls keep their deadline', async () => {
    const target = Number(new URL(REDIS_URL).port || 6379);
    const proxy = await TcpProxy.start(target);
    const broker = createRedisBroker({ url: `redis://127.0.0.1:${proxy.port}`, prefix });
    const direct = await connect(url);
    try {
      const q = await broker.createQueue(`hung-${Date.now()}`);
      const poll = q.receive({ waitTimeSeconds: 3 });
      await sleep(300);
      const frozen = proxy.freezeBlocking();
      expect(frozen).toHaveLength(1);
      const started = Date.now();
      await direct.queue(q.name).send('stuck behind a dead socket');
      // The wake-up never arrives; the poll still ends at its deadline instead of hanging.
      expect(await poll).toEqual([]);
      expect(Date.now() - started).toBeLessThan(3500);
      // The watchdog (BLPOP timeout + 2 s) drops the hung connection…
      await sleep(2500);
      expect(frozen[0]?.closedAt).toBeDefined();
      // …and the next long poll works on a fresh one.
      expect((await q.receive({ waitTimeSeconds: 3 })).map((m) => m.body)).toEqual(['stuck behind a dead socket']);
      const next = q.receive({ waitTimeSeconds: 5 });
      await sleep(200);
      await direct.queue(q.name).send('prompt');
      expect((await next).map((m) => m.body)).toEqual(['prompt']);
    } finally {
      await broker.close();
      await direct.close();
      await proxy.close();
    }
  });
});

describe.skipIf(noBinaries)('Redis restarts during a run', () => {
  it('SIGKILL and restart twice during 10,000 messages (appendonly, appendfsync always): none lost', async () => {
    const server = await PrivateRedis.start({ appendOnly: true });
    const serverUrl = `${server.url}?prefix=${prefix}`;
    const producer = await connect(serverUrl);
    const consumerBroker = await connect(serverUrl);
    const total = 10_000;
    const seen = new Map<string, number>();
    const stats = { sendFailures: 0, transportErrors: 0, restarts: 0 };
    try {
      const queue = await producer.createQueue('restart', { visibilityTimeoutSeconds: 5 });
      const startConsumer = async () => {
        const start = () =>
          consume(
            consumerBroker.queue('restart'),
            async (event) => {
              for (const record of event.Records) seen.set(record.body, (seen.get(record.body) ?? 0) + 1);
            },
            { batchSize: 10, functionTimeoutSeconds: 5, waitTimeSeconds: 1, maximumConcurrency: 20 },
          );
        // consume() reads the queue's config first; right after the restart the client may still be
        // reconnecting, and calls fail fast (Unavailable) until it is back.
        let started: Awaited<ReturnType<typeof start>> | undefined;
        while (!started) started = await start().catch(() => sleep(100).then(() => undefined));
        started.on('warning', () => undefined);
        started.on('transportError', () => stats.transportErrors++);
        return started;
      };
      // The first crash hits ~3,000 stored messages nobody consumed yet (the AOF must bring them
      // back); the consumer starts after it, so the second crash hits a live producer and consumer.
      let consumer: Awaited<ReturnType<typeof startConsumer>> | undefined;
      const started = Date.now();
      let next = 0;
      let acknowledged = 0;
      let outage = Promise.resolve();
      const restartAt = new Set([3000, 6500]);
      const backlogs: number[] = [];
      const restart = async () => {
        // Calls fail fast while the client reconnects (no offline queue): ask until it answers.
        let attributes: Awaited<ReturnType<typeof queue.getAttributes>> | undefined;
        while (!attributes) attributes = await queue.getAttributes().catch(() => sleep(100).then(() => undefined));
        backlogs.push(attributes.visible + attributes.inFlight);
        await server.kill();
        await sleep(300);
        await server.start();
        stats.restarts++;
        consumer ??= await startConsumer();
      };
      const produce = async () => {
        while (next < total) {
          const first = next;
          next += 10;
          let pending: SendBatchEntry<string>[] = Array.from({ length: 10 }, (_, i) => ({
            id: `e${i}`,
            body: `message-${first + i}`,
          }));
          while (pending.length > 0) {
            try {
              const result = await queue.sendBatch(pending);
              const failed = new Set(result.failed.map((f) => f.id));
              pending = pending.filter((entry) => failed.has(entry.id));
              acknowledged += 10 - pending.length;
            } catch {
              stats.sendFailures++;
              await sleep(100);
            }
          }
          if (restartAt.has(first)) outage = restart();
          if (next % 500 === 0) await sleep(20);
        }
      };
      await Promise.all(Array.from({ length: 8 }, produce));
      await outage;
      expect(acknowledged).toBe(total);
      const deadline = Date.now() + 60_000;
      while (seen.size < total && Date.now() < deadline) await sleep(100);
      // Deletes that failed during an outage leave processed messages to come back after their
      // visibility timeout (duplicates, counted below): let the consumer drain them too.
      const backlog = async () => {
        const attributes = await queue.getAttributes().catch(() => undefined);
        return attributes ? attributes.visible + attributes.inFlight : 1;
      };
      while ((await backlog()) > 0 && Date.now() < deadline) await sleep(200);
      await consumer?.stop();
      const missing = Array.from({ length: total }, (_, i) => `message-${i}`).filter((body) => !seen.has(body));
      const duplicates = [...seen.values()].reduce((sum, n) => sum + n - 1, 0);
      console.log(
        `[restart] ${total} messages, ${stats.restarts} restarts, ${missing.length} lost, ${duplicates} duplicates, ` +
          `${stats.sendFailures} failed send calls retried, ${stats.transportErrors} consumer transport errors, ` +
          `${Date.now() - started} ms; stored backlog at each kill: ${backlogs.join(', ')}`,
      );
      expect(stats.restarts).toBe(2);
      // The kills hit stored, unconsumed messages (the AOF has to bring them back).
      expect(Math.min(...backlogs)).toBeGreaterThan(0);
      expect(missing).toEqual([]);
      expect((await queue.getAttributes()).visible).toBe(0);
    } finally {
      await producer.close();
      await consumerBroker.close();
      await server.destroy();
    }
  }, 150_000);
});
