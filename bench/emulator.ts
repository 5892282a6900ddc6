import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { connect } from '@msgport/core';
import '@msgport/memory';
import type { BenchSettings } from './args.js';
import { startEmulator } from './fauxqs.js';
import { median, type Row } from './measure.js';

/**
 * The memory transport against what unit tests use instead: the SQS emulator (fauxqs) started in
 * the test process and driven through the AWS SDK. Three rows: the send → receive → delete cycle in
 * batches of 10, one test's own work (create a queue, one message through it, delete the queue),
 * and a test file's setup (connect / start the emulator and its client, then close).
 */
export async function emulatorRows(settings: BenchSettings): Promise<Row[]> {
  const emulator = await startEmulator();
  const broker = await connect('memory://');
  const lanes = Math.max(1, settings.concurrency);
  const body = 'x'.repeat(settings.payloadBytes);
  const params = {
    section: 'emulator',
    transport: 'memory',
    versus: 'fauxqs + AWS SDK',
    payload: settings.payloadBytes,
  };
  try {
    const memoryQueue = await broker.createQueue(`bench-emu-${randomUUID()}`);
    const memoryCycle = async () => {
      await memoryQueue.sendBatch(Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, body })));
      const received = await memoryQueue.receive({ maxMessages: 10, waitTimeSeconds: 0 });
      await memoryQueue.deleteBatch(received.map((m, j) => ({ id: `d${j}`, receiptHandle: m.receiptHandle })));
    };
    const { QueueUrl } = await emulator.client.send(new CreateQueueCommand({ QueueName: `bench-emu-${randomUUID()}` }));
    const sdkCycle = () => sdkBatchCycle(emulator.client, QueueUrl as string, body);
    // The emulator moves about a hundredth as many messages: fewer cycles keep its rounds short.
    const [memoryRate, sdkRate] = await alternate(settings.rounds, [
      () => cycleRate(memoryCycle, Math.ceil(Math.min(settings.messages, 100_000) / 10), lanes),
      () => cycleRate(sdkCycle, Math.ceil(Math.min(settings.messages, 2_000) / 10), lanes),
    ]);
    await broker.deleteQueue(memoryQueue.name);
    await emulator.client.send(new DeleteQueueCommand({ QueueUrl }));

    const [memoryTest, sdkTest] = await alternate(settings.rounds, [
      () => perCall(200, async () => oneMessageTest(broker)),
      () => perCall(50, async () => oneMessageSdkTest(emulator.client, body)),
    ]);
    const [memorySetup, emulatorSetup] = await alternate(settings.rounds, [
      () => perCall(50, async () => (await connect('memory://')).close()),
      () => perCall(10, async () => (await startEmulator()).close()),
    ]);
    return [
      {
        name: `memory vs SQS emulator: send→receive→delete, batches of 10, ${settings.payloadBytes} B`,
        value: memoryRate ?? 0,
        unit: 'msg/s',
        baseline: { name: 'fauxqs in-process + AWS SDK', value: sdkRate ?? 0 },
        params: { ...params, case: 'cycle' },
      },
      {
        name: 'memory vs SQS emulator: a test (create queue, 1 message, delete queue)',
        value: memoryTest ?? 0,
        unit: 'ms',
        lowerIsBetter: true,
        baseline: { name: 'fauxqs in-process + AWS SDK', value: sdkTest ?? 0 },
        params: { ...params, case: 'test' },
      },
      {
        name: 'memory vs SQS emulator: a test file (connect / start, close)',
        value: memorySetup ?? 0,
        unit: 'ms',
        lowerIsBetter: true,
        baseline: { name: 'fauxqs buildApp + listen + SQSClient', value: emulatorSetup ?? 0 },
        params: { ...params, case: 'setup' },
      },
    ];
  } finally {
    await broker.close();
    await emulator.close();
  }
}

/** One warm-up of each, then `rounds` rounds taken in turn (A, B, A, B, …); the median of each. */
async function alternate(rounds: number, contenders: readonly (() => Promise<number>)[]): Promise<number[]> {
  const results: number[][] = contenders.map(() => []);
  for (let round = -1; round < rounds; round++) {
    for (const [index, run] of contenders.entries()) {
      const value = await run();
      if (round >= 0) results[index]?.push(value);
    }
  }
  return results.map(median);
}

/** `cycles` cycles of 10 messages spread over `lanes` concurrent loops; messages per second. */
async function cycleRate(cycle: () => Promise<void>, cycles: number, lanes: number): Promise<number> {
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next++ < cycles) await cycle();
    }),
  );
  return (cycles * 10) / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** Milliseconds per call of `work`, over `calls` calls one after the other. */
async function perCall(calls: number, work: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await work();
  return Number(process.hrtime.bigint() - started) / 1e6 / calls;
}

async function sdkBatchCycle(client: SQSClient, url: string, body: string): Promise<void> {
  await client.send(
    new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: body })),
    }),
  );
  const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
  if (Messages.length === 0) return;
  await client.send(
    new DeleteMessageBatchCommand({
      QueueUrl: url,
      Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle as string })),
    }),
  );
}

async function oneMessageTest(broker: Awaited<ReturnType<typeof connect>>): Promise<void> {
  const queue = await broker.createQueue(`t-${randomUUID()}`);
  await queue.send('hello');
  const [message] = await queue.receive({ waitTimeSeconds: 0 });
  if (message) await queue.delete(message.receiptHandle);
  await broker.deleteQueue(queue.name);
}

async function oneMessageSdkTest(client: SQSClient, body: string): Promise<void> {
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: `t-${randomUUID()}` }));
  await client.send(new SendMessageCommand({ QueueUrl, MessageBody: body.slice(0, 5) }));
  const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl }));
  const handle = Messages[0]?.ReceiptHandle;
  if (handle) await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: handle }));
  await client.send(new DeleteQueueCommand({ QueueUrl }));
}
