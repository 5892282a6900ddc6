import { randomUUID } from 'node:crypto';
import { connect } from '@msgport/core';
import { connect as amqpConnect } from 'amqplib';
import '@msgport/rabbitmq';
import type { BenchSettings } from './args.js';
import { compareEndToEnd, msgportPipeline, type Pipeline } from './end-to-end.js';
import type { Row } from './measure.js';
import { amqpConnectionManager } from './rabbitmq-peer.js';

/**
 * The raw baseline: a durable quorum queue, persistent messages published on a confirm channel
 * (10 then waitForConfirms), one consumer with manual acks at the same prefetch msgport uses.
 */
export async function rawAmqplib(url: string, prefetch: number): Promise<Pipeline> {
  const queue = `bench-raw-${randomUUID()}`;
  const connection = await amqpConnect(url, { noDelay: true });
  const publisher = await connection.createConfirmChannel();
  await publisher.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  return {
    async start(processed) {
      const channel = await connection.createChannel();
      await channel.prefetch(prefetch);
      const { consumerTag } = await channel.consume(queue, (message) => {
        if (!message) return;
        channel.ack(message);
        processed(1);
      });
      return async () => {
        await channel.cancel(consumerTag);
        await channel.close();
      };
    },
    async produce(bodies) {
      for (const body of bodies) publisher.sendToQueue(queue, Buffer.from(body), { persistent: true });
      await publisher.waitForConfirms();
    },
    async cleanup() {
      await publisher.deleteQueue(queue);
      await connection.close();
    },
  };
}

/** RabbitMQ: msgport (sendBatch + consume) against plain amqplib and amqp-connection-manager doing the same work. */
export async function rabbitmqRows(settings: BenchSettings, url: string): Promise<Row[]> {
  const count = Math.min(settings.messages, 10_000);
  const broker = await connect(url);
  const prefetch = settings.concurrency * 10;
  const [ours = 0, raw = 0, peer = 0] = await compareEndToEnd(settings.rounds, count, settings.payloadBytes, 2, [
    async (round) => msgportPipeline(broker, `bench-rmq-${Date.now()}-${round}`, settings.concurrency),
    () => rawAmqplib(url, prefetch),
    () => amqpConnectionManager(url, prefetch),
  ]);
  await broker.close();
  // The first name is the row's name since the first run (kept so runs stay comparable).
  const label = `rabbitmq: produce + process, ${settings.payloadBytes} B, concurrency ${settings.concurrency}`;
  const params = { section: 'rabbitmq', transport: 'rabbitmq', payload: settings.payloadBytes };
  return [
    {
      name: label,
      value: ours,
      unit: 'msg/s',
      baseline: { name: 'amqplib confirm channel + manual acks', value: raw },
      params: { ...params, versus: 'amqplib' },
    },
    {
      name: `${label} vs peer`,
      value: ours,
      unit: 'msg/s',
      baseline: { name: 'amqp-connection-manager confirms + acks', value: peer },
      params: { ...params, versus: 'amqp-connection-manager' },
    },
  ];
}
