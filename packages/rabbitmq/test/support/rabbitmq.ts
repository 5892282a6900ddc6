import { randomBytes } from 'node:crypto';
import { Broker } from '@msgport/core';
import { connect as connectAmqp } from 'amqplib';
import { inject } from 'vitest';
import { createRabbitMQDriver, type RabbitMQDriver, type RabbitMQOptions } from '../../src/index.js';
import { Names } from '../../src/topology.js';

/** The shared broker the global setup found or started (never stopped by the tests); resources get unique names. */
export const AMQP_URL: string = inject('amqpUrl');

/** A fresh namespace: every broker object the test creates lives under it. */
export function uniqueNamespace(tag: string): string {
  return `mpt-${tag}-${randomBytes(4).toString('hex')}`;
}

const drivers = new WeakMap<Broker, RabbitMQDriver>();

export async function openBroker(namespace: string, options: RabbitMQOptions = {}, url = AMQP_URL): Promise<Broker> {
  const { retry, logger, ...settings } = options;
  const driver = await createRabbitMQDriver(url, { namespace, ...settings });
  const broker = new Broker(driver, { ...(retry ? { retry } : {}), ...(logger !== undefined ? { logger } : {}) });
  drivers.set(broker, driver);
  return broker;
}

/** The driver behind a broker opened with `openBroker` (for fault injection). */
export function driverOf(broker: Broker): RabbitMQDriver {
  const driver = drivers.get(broker);
  if (!driver) throw new Error('this broker was not opened with openBroker');
  return driver;
}

/**
 * The conformance harness: one namespace per run. `cleanCase` (an `afterEach`) deletes every queue and
 * topic the case created — each quorum queue holds about three of the broker's file handles, and a
 * whole run's queues at once would strain a shared broker — and `dispose` drops the namespace.
 */
export function conformanceHarness(tag: string): {
  harness: { connect(): Promise<Broker>; dispose(): Promise<void> };
  cleanCase(): Promise<void>;
} {
  const namespace = uniqueNamespace(tag);
  let admin: Promise<Broker> | undefined;
  return {
    harness: {
      connect: () => openBroker(namespace),
      dispose: async () => {
        await (await admin)?.close();
        await dropNamespace(namespace);
      },
    },
    cleanCase: async () => {
      admin ??= openBroker(namespace);
      const broker = await admin;
      const [queues, topics] = await Promise.all([broker.listQueues(), broker.listTopics()]);
      await Promise.allSettled([
        ...queues.map((name) => broker.deleteQueue(name)),
        ...topics.map((name) => broker.deleteTopic(name)),
      ]);
    },
  };
}

/**
 * Deletes every queue and topic msgport created in `namespace`, then the namespace's registry
 * stream. Only this namespace's objects are touched; the shared delay cascade stays.
 */
export async function dropNamespace(namespace: string, url = AMQP_URL): Promise<void> {
  const broker = await openBroker(namespace, {}, url);
  try {
    const [queues, topics] = await Promise.all([broker.listQueues(), broker.listTopics()]);
    await Promise.allSettled([
      ...queues.map((name) => broker.deleteQueue(name)),
      ...topics.map((name) => broker.deleteTopic(name)),
    ]);
  } finally {
    await broker.close();
  }
  const connection = await connectAmqp(url);
  try {
    const channel = await connection.createChannel();
    await channel.deleteQueue(new Names(namespace).controlStream);
  } finally {
    await connection.close();
  }
}
