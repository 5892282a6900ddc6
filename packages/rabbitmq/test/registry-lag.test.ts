import { randomUUID } from 'node:crypto';
import type { Broker } from '@msgport/core';
import { type Channel, type ChannelModel, connect as connectAmqp } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';
import { Names } from '../src/topology.js';
import { codeOf, skipTitle, unavailable } from './support/helpers.js';
import { AMQP_URL, dropNamespace, openBroker, uniqueNamespace } from './support/rabbitmq.js';

const namespace = uniqueNamespace('lag');
const ROUNDS = 12;
/** Records written ahead of each step: each process's tail works through them at its own pace. */
const FILLER = 2_000;

let a: Broker;
let b: Broker;
let raw: ChannelModel;
let channel: Channel;

/** Appends `count` no-op records to the registry stream, so the two processes' tails drift apart. */
function flood(count: number): void {
  const stream = new Names(namespace).controlStream;
  for (let i = 0; i < count; i++) {
    channel.sendToQueue(stream, Buffer.from(JSON.stringify({ op: 'sync', id: randomUUID() })), {
      contentType: 'application/json',
    });
  }
}

/**
 * One process's registry may lag the stream: it has not yet applied what another process just wrote.
 * A compare-and-set record built from that registry names a state the stream already replaced; such a
 * record must be built again from the caught-up registry, never reported as a conflict.
 */
describe.skipIf(unavailable)(skipTitle('rabbitmq registry: a process whose registry lags the stream'), () => {
  beforeAll(async () => {
    [a, b] = await Promise.all([openBroker(namespace), openBroker(namespace)]);
    raw = await connectAmqp(AMQP_URL);
    channel = await raw.createChannel();
  });
  afterAll(async () => {
    await raw?.close().catch(() => undefined);
    await Promise.allSettled([a?.close(), b?.close()]);
    await dropNamespace(namespace);
  });

  it('creates a queue another process has just deleted, with other settings', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const name = `q${round}`;
      await a.createQueue(name, { visibilityTimeoutSeconds: 45 });
      expect((await b.queue(name).getAttributes()).config.visibilityTimeoutSeconds).toBe(45);
      flood(FILLER);
      await a.deleteQueue(name);
      outcomes.push(await codeOf(b.createQueue(name, { visibilityTimeoutSeconds: 7 })));
      if (outcomes.at(-1) === 'ok') {
        expect((await a.queue(name).getAttributes()).config.visibilityTimeoutSeconds).toBe(7);
      }
    }
    expect(outcomes).toEqual(Array.from({ length: ROUNDS }, () => 'ok'));
  });

  it('creates a topic another process has just deleted, with the same settings', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const name = `t${round}`;
      await a.createTopic(name);
      expect(await b.listTopics(name)).toEqual([name]);
      flood(FILLER);
      await a.deleteTopic(name);
      outcomes.push(await codeOf(b.createTopic(name)));
      if (outcomes.at(-1) === 'ok') expect(await a.listTopics(name)).toEqual([name]);
    }
    expect(outcomes).toEqual(Array.from({ length: ROUNDS }, () => 'ok'));
  });

  it('deletes a queue another process has just re-created: the new entry goes too', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const name = `r${round}`;
      await a.createQueue(name, { visibilityTimeoutSeconds: 45 });
      expect((await b.queue(name).getAttributes()).config.visibilityTimeoutSeconds).toBe(45);
      flood(FILLER);
      await a.deleteQueue(name);
      flood(FILLER);
      await a.createQueue(name, { visibilityTimeoutSeconds: 8 });
      expect(await codeOf(b.deleteQueue(name))).toBe('ok');
      expect(await a.listQueues(name)).toEqual([]);
      expect(await codeOf(a.queue(name).getAttributes())).toBe('QueueDoesNotExist');
    }
  });
});
