import { connect, isMsgportError } from '@msgport/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniquePrefix } from './support/env.js';
import { FailoverBrokers } from './support/failover-run.js';
import { LocalSentinel } from './support/redis-sentinel.js';
import { freePort } from './support/redis-server.js';

const prefix = uniquePrefix('sentinel');

/**
 * Sentinel: 1 primary + 2 replicas + 3 Sentinels (quorum 2, down-after-milliseconds 1 s). The
 * primary is SIGKILLed a third of the way through a producer/consumer run and not restarted.
 */
describe.skipIf(!inject('redisBinaries'))('redis+sentinel://', () => {
  let setup: LocalSentinel;
  let brokers: FailoverBrokers;

  beforeAll(async () => {
    setup = await LocalSentinel.start();
    // Replication is asynchronous: without WAIT a primary killed right after a reply can take the
    // last acknowledged sends with it (seen here: 40 of 3,000); FailoverBrokers sets waitForReplicas=1.
    brokers = await FailoverBrokers.open(`${setup.url}?prefix=${prefix}`);
  }, 120_000);
  afterAll(async () => {
    await brokers?.close();
    await setup?.stop();
  });

  it('reaches the primary the Sentinels name; a wrong primary name or dead Sentinels fail fast and typed', async () => {
    const { producer, consumer } = brokers;
    const q = await producer.createQueue('hello-sentinel');
    await q.send('via sentinel');
    expect((await consumer.queue(q.name).receive({ waitTimeSeconds: 1 })).map((m) => m.body)).toEqual(['via sentinel']);
    await producer.deleteQueue(q.name);

    const hosts = setup.sentinels.map((sentinel) => `127.0.0.1:${sentinel.port}`).join(',');
    const started = Date.now();
    const unknown = await connect(`redis+sentinel://${hosts}/no-such-primary`, { logger: false }).catch((e) => e);
    expect(isMsgportError(unknown, 'InvalidParameter')).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(unknown.message).toContain('no-such-primary');
    expect(unknown.message).toContain('the Sentinels monitor no primary of that name');

    const dead = `redis+sentinel://:pw@127.0.0.1:${await freePort()},127.0.0.1:${await freePort()}/m`;
    const down = await connect(dead, { logger: false }).catch((e) => e);
    expect(isMsgportError(down, 'Unavailable')).toBe(true);
    expect(down.message).toMatch(/^cannot connect to redis\+sentinel:\/\/:\*\*\*@127\.0\.0\.1/);
  });

  it('the primary dies mid-stream: a replica takes over, sends and receives continue, nothing is lost', async () => {
    const before = await setup.primaryPort();
    await brokers.survive('sentinel failover', 'through-sentinel-failover', () => setup.server(before).kill());
    expect(await setup.primaryPort()).not.toBe(before);
  }, 120_000);
});
