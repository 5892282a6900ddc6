import { type Broker, connect } from '@msgport/core';
import { DEFAULT_DEADLINES } from '@msgport/core/driver';
import type { Cluster } from 'ioredis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RedisCalls } from '../src/calls.js';
import { createKeySpace } from '../src/index.js';
import { messageIdOf } from '../src/message-key.js';
import { ScriptRunner } from '../src/script-runner.js';
import { SCRIPTS } from '../src/scripts/index.js';
import { keySlot } from '../src/slot.js';
import { sleep, uniquePrefix } from './support/env.js';
import { LocalCluster } from './support/redis-cluster.js';
import { travel } from './support/time-travel.js';

const prefix = uniquePrefix('cluster');
const keys = createKeySpace(prefix);
let cluster: LocalCluster;
let broker: Broker;
let counter = 0;

/** The primary (host:port) that serves a queue. */
function nodeOf(client: Cluster, queue: string): string {
  return client.slots[keySlot(keys.queueKey(queue, 'cfg'))]?.[0] ?? '?';
}

/** A fresh queue name served by a different primary than every name in `others`. */
function nameOnOtherNode(client: Cluster, tag: string, others: string[]): string {
  const taken = new Set(others.map((name) => nodeOf(client, name)));
  for (;;) {
    const name = `${tag}-${++counter}`;
    if (!taken.has(nodeOf(client, name))) return name;
  }
}

/** A Redis connection to the primary that serves `queue` (for white-box checks and time travel). */
function nodeClient(client: Cluster, queue: string): Redis {
  const [host, port] = nodeOf(client, queue).split(':');
  return new Redis({ host: host as string, port: Number(port) });
}

describe.skipIf(!inject('redisBinaries'))('redis cluster specifics', () => {
  beforeAll(async () => {
    cluster = await LocalCluster.start();
    broker = await connect(`${cluster.url}&prefix=${prefix}`);
  });
  afterAll(async () => {
    await broker?.close();
    await cluster?.stop();
  });

  it('redrives to a dead-letter queue on another node, keeping id, body, attributes and count', async () => {
    const client = broker.native() as Cluster;
    const dlqName = `dlq-${++counter}`;
    const sourceName = nameOnOtherNode(client, 'src', [dlqName]);
    expect(nodeOf(client, sourceName)).not.toBe(nodeOf(client, dlqName));
    const dlq = await broker.createQueue(dlqName);
    const source = await broker.createQueue(sourceName, { deadLetter: { queue: dlqName, maxReceiveCount: 2 } });
    const { messageId } = await source.send('poison', { attributes: { kind: 'bad', n: 7 } });
    for (let i = 0; i < 2; i++) {
      const [m] = await source.receive();
      await source.changeVisibility(m as never, 0);
    }
    expect(await source.receive({ maxMessages: 10 })).toEqual([]);
    const [moved] = await dlq.receive({ waitTimeSeconds: 2 });
    expect(moved?.messageId).toBe(messageId);
    expect(moved?.body).toBe('poison');
    expect(moved?.attributes).toEqual({
      kind: { dataType: 'String', stringValue: 'bad' },
      n: { dataType: 'Number', stringValue: '7' },
    });
    expect(moved?.receiveCount).toBe(3);
    const stats = await source.getAttributes();
    expect([stats.visible, stats.inFlight]).toEqual([0, 0]);
  });

  it('a hand-off interrupted by a crash is offered again and adopted exactly once', async () => {
    const client = broker.native() as Cluster;
    const dlqName = `dlq-${++counter}`;
    const sourceName = nameOnOtherNode(client, 'crash', [dlqName]);
    const dlq = await broker.createQueue(dlqName);
    const source = await broker.createQueue(sourceName, { deadLetter: { queue: dlqName, maxReceiveCount: 1 } });
    await source.send('in transit');
    const [m] = await source.receive();
    await source.changeVisibility(m as never, 0);
    // A client that crashes right after the receive script marked the message for hand-off:
    // run that script alone, never adopt, never confirm.
    const endpoint = { where: 'cluster', db: 0, ...DEFAULT_DEADLINES };
    const scripts = new ScriptRunner(
      client,
      new RedisCalls({ client, endpoint, failoverWindowMs: 0, connects: false }),
    );
    const reply = await scripts.run(SCRIPTS.receive, keys.queueKeys(sourceName), [10, -1, dlqName, 'remote']);
    const handoff = reply.slice(-2).map(String);
    expect(messageIdOf(handoff[0] as string)).toBe(m?.messageId);
    expect(await dlq.receive()).toEqual([]);
    expect((await source.getAttributes()).visible).toBe(0);
    // Adopting twice (a retry after a crash between adopt and confirm) stores one copy.
    await scripts.run(SCRIPTS.adopt, keys.queueKeys(dlqName), [1, ...handoff]);
    await scripts.run(SCRIPTS.adopt, keys.queueKeys(dlqName), [1, ...handoff]);
    expect((await dlq.getAttributes()).visible).toBe(1);
    // 30 s later the source offers the unconfirmed hand-off again; the retry completes it.
    const node = nodeClient(client, sourceName);
    try {
      await travel(node, keys, sourceName, 31);
      expect(await source.receive()).toEqual([]);
      expect(await node.hlen(keys.queueKey(sourceName, 'msg'))).toBe(0);
    } finally {
      node.disconnect();
    }
    const received = await dlq.receive({ maxMessages: 10 });
    expect(received.map((x) => x.body)).toEqual(['in transit']);
  });

  it('fans out from a topic to queues on every node: one copy each', async () => {
    const client = broker.native() as Cluster;
    const names: string[] = [];
    for (let i = 0; i < 3; i++) names.push(nameOnOtherNode(client, 'fan', names));
    expect(new Set(names.map((name) => nodeOf(client, name))).size).toBe(3);
    const topic = await broker.createTopic(`topic-${++counter}`);
    for (const name of names) {
      await broker.createQueue(name);
      await topic.subscribe(name, { rawMessageDelivery: true });
    }
    await topic.publishBatch(Array.from({ length: 12 }, (_, i) => ({ id: `p${i}`, body: `b${i}` })));
    for (const name of names) {
      const got = [];
      for (let i = 0; i < 3; i++) got.push(...(await broker.queue(name).receive({ maxMessages: 10 })));
      expect(got.map((m) => m.body).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `b${i}`).sort());
    }
  });

  it('long polls block on the node that serves the queue and wake at once', async () => {
    const other = await connect(`${cluster.url}&prefix=${prefix}`);
    try {
      for (let i = 0; i < 3; i++) {
        const q = await broker.createQueue(`poll-${++counter}`);
        const poll = q.receive({ waitTimeSeconds: 10 });
        await sleep(150);
        const sent = Date.now();
        await other.queue(q.name).send(`hello ${i}`);
        expect((await poll).map((m) => m.body)).toEqual([`hello ${i}`]);
        expect(Date.now() - sent).toBeLessThan(500);
      }
    } finally {
      await other.close();
    }
  });
});
