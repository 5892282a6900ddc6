import { randomUUID } from 'node:crypto';
import { connect } from '@msgport/core';
import { connect as amqpConnect } from 'amqplib';
import '@msgport/rabbitmq';
import type { BenchSettings } from './args.js';
import { compareEndToEnd, msgportPipeline, type Pipeline } from './end-to-end.js';
import type { Row } from './measure.js';

/**
 * The raw baseline: a durable quorum queue, persistent messages published on a confirm channel
 * (10 then waitForConfirms), one consumer with manual acks at the same prefetch msgport uses.
 */
async function rawAmqplib(url: string, prefetch: number): Promise<Pipeline> {
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

/** RabbitMQ: msgport (sendBatch + consume) against plain amqplib doing the same work. */
export async function rabbitmqRows(settings: BenchSettings, url: string): Promise<Row[]> {
  const count = Math.min(settings.messages, 10_000);
  const broker = await connect(url);
  const [ours = 0, raw = 0] = await compareEndToEnd(settings.rounds, count, settings.payloadBytes, 2, [
    async (round) => msgportPipeline(broker, `bench-rmq-${Date.now()}-${round}`, settings.concurrency),
    () => rawAmqplib(url, settings.concurrency * 10),
  ]);
  await broker.close();
  return [
    {
      name: `rabbitmq: produce + process, ${settings.payloadBytes} B, concurrency ${settings.concurrency}`,
      value: ours,
      unit: 'msg/s',
      baseline: { name: 'amqplib confirm channel + manual acks', value: raw },
    },
  ];
}
