import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKeySpace } from '../src/index.js';
import { keySlot } from '../src/slot.js';
import { uniquePrefix } from './support/env.js';
import { FailoverBrokers } from './support/failover-run.js';
import { LocalCluster } from './support/redis-cluster.js';

const prefix = uniquePrefix('cluster-failover');
const keys = createKeySpace(prefix);

/**
 * Redis Cluster, 3 primaries + 3 replicas (cluster-node-timeout 3 s, so the failover fits the
 * default 10 s window with a margin on a loaded machine; with 5 s it takes about 8 s). The primary
 * serving the queue's slot is SIGKILLed a third of the way through a producer/consumer run and not
 * restarted: its replica takes over; sends and receives wait through the failover window.
 */
describe.skipIf(!inject('redisBinaries'))('Redis Cluster failover', () => {
  let cluster: LocalCluster;
  let brokers: FailoverBrokers;

  beforeAll(async () => {
    cluster = await LocalCluster.start({ replicas: 1, nodeTimeoutMs: 3000 });
    brokers = await FailoverBrokers.open(`${cluster.url}&prefix=${prefix}`);
  }, 120_000);
  afterAll(async () => {
    await brokers?.close();
    await cluster?.stop();
  });

  it('the primary of the queue dies mid-stream: sends and receives continue, nothing is lost', async () => {
    const queue = 'through-failover';
    const client = brokers.producer.native() as Cluster;
    const slot = keySlot(keys.queueKey(queue, 'cfg'));
    const primary = client.slots[slot]?.[0] ?? '';
    const victim = cluster.node(Number(primary.split(':')[1]));
    const result = await brokers.survive('cluster failover', queue, () => victim.kill());
    expect(result.receiveResumeMs).toBeLessThan(12_000);
    // Another node serves the slot now.
    expect(client.slots[slot]?.[0]).not.toBe(primary);
  }, 120_000);
});
