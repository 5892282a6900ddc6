import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { connect } from '@msgport/core';
import '@msgport/sqs';
import { Consumer as SqsConsumer } from 'sqs-consumer';
import { Producer as SqsProducer } from 'sqs-producer';
import type { BenchSettings } from './args.js';
import { compareEndToEnd, msgportPipeline, type Pipeline } from './end-to-end.js';
import { REGION, startEmulator } from './fauxqs.js';
import type { Row } from './measure.js';

async function createQueue(client: SQSClient): Promise<string> {
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: `bench-${randomUUID()}` }));
  return QueueUrl as string;
}

/** The raw baseline: SendMessageBatch of 10, and `concurrency` loops of ReceiveMessage(10) + DeleteMessageBatch. */
export async function rawSdk(client: SQSClient, concurrency: number): Promise<Pipeline> {
  const url = await createQueue(client);
  let running = true;
  return {
    async start(processed) {
      const loops = Array.from({ length: concurrency }, async () => {
        while (running) {
          const { Messages = [] } = await client.send(
            new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
          );
          if (Messages.length === 0) continue;
          await client.send(
            new DeleteMessageBatchCommand({
              QueueUrl: url,
              Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle as string })),
            }),
          );
          processed(Messages.length);
        }
      });
      return async () => {
        running = false;
        await Promise.all(loops);
      };
    },
    async produce(bodies) {
      await client.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: bodies.map((body, i) => ({ Id: `m${i}`, MessageBody: body })),
        }),
      );
    },
    cleanup: async () => {
      await client.send(new DeleteQueueCommand({ QueueUrl: url }));
    },
  };
}

/** The peers: sqs-producer batches and `concurrency` sqs-consumer instances with handleMessageBatch. */
async function sqsConsumerProducer(client: SQSClient, concurrency: number): Promise<Pipeline> {
  const url = await createQueue(client);
  const producer = SqsProducer.create({ queueUrl: url, region: REGION, sqs: client, batchSize: 10 });
  return {
    async start(processed) {
      const consumers = Array.from({ length: concurrency }, () =>
        SqsConsumer.create({
          queueUrl: url,
          sqs: client,
          batchSize: 10,
          waitTimeSeconds: 1,
          handleMessageBatch: async (messages) => {
            processed(messages.length);
            return messages;
          },
        }),
      );
      let stopping = false;
      for (const consumer of consumers) {
        // Stopping with abort fails the requests in flight on purpose; any other error is news.
        consumer.on('error', (error) => {
          if (!stopping) console.warn(`sqs-consumer: ${error.message}`);
        });
        consumer.start();
      }
      return async () => {
        stopping = true;
        for (const consumer of consumers) consumer.stop({ abort: true });
      };
    },
    async produce(bodies) {
      await producer.send(bodies.map((body, i) => ({ id: `m${i}`, body })));
    },
    cleanup: async () => {
      await client.send(new DeleteQueueCommand({ QueueUrl: url }));
    },
  };
}

/** SQS against fauxqs started in this process: msgport vs a raw SDK batch loop and vs sqs-consumer + sqs-producer. */
export async function sqsRows(settings: BenchSettings): Promise<Row[]> {
  const emulator = await startEmulator();
  const { client } = emulator;
  const count = Math.min(settings.messages, 5_000);
  const broker = await connect(emulator.url);
  const [ours = 0, raw = 0, peer = 0] = await compareEndToEnd(settings.rounds, count, settings.payloadBytes, 2, [
    async (round) => msgportPipeline(broker, `bench-sqs-${Date.now()}-${round}`, settings.concurrency),
    () => rawSdk(client, settings.concurrency),
    () => sqsConsumerProducer(client, settings.concurrency),
  ]);
  await broker.close();
  await emulator.close();
  const label = `sqs (fauxqs): produce + process, ${settings.payloadBytes} B, concurrency ${settings.concurrency}`;
  return [
    { name: `${label} vs raw`, value: ours, unit: 'msg/s', baseline: { name: 'raw SDK batch loop', value: raw } },
    {
      name: `${label} vs peer`,
      value: ours,
      unit: 'msg/s',
      baseline: { name: 'sqs-consumer + sqs-producer', value: peer },
    },
  ];
}
