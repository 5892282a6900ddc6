/**
 * The real servers the CLI tests run against. Each `target.open()` gives a fresh, isolated URL
 * (a Redis key prefix, a RabbitMQ namespace, or a queue-name prefix on fauxqs) and a cleanup that
 * deletes everything the test created there, and only that.
 */
import { randomBytes } from 'node:crypto';
import { type Broker, connect } from '@msgport/core';
import '@msgport/redis';
import '@msgport/rabbitmq';
import '@msgport/sns';
import { deletePrefix } from '@msgport/test-support/redis';
import { connect as connectAmqp } from 'amqplib';
import { afterAll, inject } from 'vitest';

/** The servers the redis and rabbitmq global setups found (or started with testcontainers). */
export const REDIS_URL: string = inject('redisUrl');
export const AMQP_URL: string = inject('amqpUrl');

export interface Place {
  /** The broker URL the CLI gets. */
  readonly url: string;
  /** Prefix for queue names (the only isolation on SQS). */
  readonly names: string;
  broker(): Promise<Broker>;
  cleanup(): Promise<void>;
}

export interface Target {
  readonly name: 'redis' | 'rabbitmq' | 'sqs';
  /** Why the server is missing ('' when it is there). */
  readonly unavailable: string;
  open(): Place;
}

const tag = () => randomBytes(4).toString('hex');

function place(url: string, names: string, extraCleanup: () => Promise<void>): Place {
  let opened: Promise<Broker> | undefined;
  return {
    url,
    names,
    broker: () => {
      opened ??= connect(url);
      return opened;
    },
    async cleanup() {
      const broker = await (opened ?? connect(url));
      try {
        const [queues, topics] = await Promise.all([broker.listQueues(names), broker.listTopics(names)]);
        await Promise.allSettled([
          ...queues.map((queue) => broker.deleteQueue(queue)),
          ...topics.map((topic) => broker.deleteTopic(topic)),
        ]);
      } finally {
        await broker.close();
      }
      await extraCleanup();
    },
  };
}

async function deleteRabbitNamespace(namespace: string): Promise<void> {
  const connection = await connectAmqp(AMQP_URL);
  try {
    const channel = await connection.createChannel();
    // The namespace's registry stream (see @msgport/rabbitmq topology): the only object left once
    // its queues and topics are deleted.
    await channel.deleteQueue(`${namespace}.msgport.control`);
  } finally {
    await connection.close();
  }
}

export const TARGETS: readonly Target[] = [
  {
    name: 'redis',
    unavailable: inject('redisAvailable') ? '' : 'no Redis server',
    open() {
      const prefix = `msgport-cli-test:${tag()}:`;
      const url = `${REDIS_URL}?prefix=${encodeURIComponent(prefix)}`;
      return place(url, '', () => deletePrefix(REDIS_URL, prefix));
    },
  },
  {
    name: 'rabbitmq',
    unavailable: inject('rabbitmqUnavailable'),
    open() {
      const namespace = `mpcli-${tag()}`;
      return place(`${AMQP_URL}?namespace=${namespace}&connectTimeoutMs=3000`, '', () =>
        deleteRabbitNamespace(namespace),
      );
    },
  },
  {
    name: 'sqs',
    unavailable: inject('fauxqsStartError'),
    open() {
      const params = new URLSearchParams({
        region: 'us-east-1',
        endpoint: inject('fauxqsEndpoint'),
        accessKeyId: 'test',
        secretAccessKey: 'test',
      });
      return place(`sqs://?${params}`, `cli${tag()}-`, async () => {});
    },
  },
];

export function target(name: Target['name']): Target {
  return TARGETS.find((t) => t.name === name) as Target;
}

/** Why some of `targets` cannot run ('' when all can), for `describe.skipIf` and the title. */
export function unavailable(...targets: readonly Target[]): string {
  return targets
    .map((t) => t.unavailable)
    .filter(Boolean)
    .join('; ');
}

/**
 * A place on each target for the enclosing describe block, cleaned up after it. Opening does no
 * I/O, so a skipped block costs nothing.
 */
export function placesFor(...targets: readonly Target[]): Place[] {
  const places = targets.map((t) => t.open());
  afterAll(async () => {
    await Promise.all(places.map((p) => p.cleanup()));
  });
  return places;
}
