import { randomUUID } from 'node:crypto';
import amqp from 'amqp-connection-manager';
import type { ConfirmChannel } from 'amqplib';
import type { Pipeline } from './end-to-end.js';

/**
 * The peer people reach for on amqplib for work queues: amqp-connection-manager, as its README uses
 * it — a confirm-channel wrapper whose setup asserts the queue, `sendToQueue` resolving on each
 * publisher confirm, and a wrapped consumer with manual acks at the same prefetch msgport uses. Same
 * durable quorum queue and persistent messages as the raw baseline.
 */
export async function amqpConnectionManager(url: string, prefetch: number): Promise<Pipeline> {
  const queue = `bench-acm-${randomUUID()}`;
  const connection = amqp.connect([url], { connectionOptions: { noDelay: true } });
  const assert = async (channel: ConfirmChannel) => {
    await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  };
  const publisher = connection.createChannel({ setup: assert });
  await publisher.waitForConnect();
  return {
    async start(processed) {
      const consumer = connection.createChannel({ setup: assert, confirm: false });
      await consumer.consume(
        queue,
        (message) => {
          consumer.ack(message);
          processed(1);
        },
        { prefetch },
      );
      return () => consumer.close();
    },
    async produce(bodies) {
      await Promise.all(bodies.map((body) => publisher.sendToQueue(queue, Buffer.from(body), { persistent: true })));
    },
    async cleanup() {
      const admin = connection.createChannel();
      await admin.waitForConnect();
      await admin.addSetup(async (channel: ConfirmChannel) => {
        await channel.deleteQueue(queue);
      });
      await admin.close();
      await publisher.close();
      await connection.close();
    },
  };
}
