/**
 * Migrating a queue from Redis (or RabbitMQ) to SQS with no lost and no doubly processed message:
 *
 *   0. prepare  — the SQS queues exist with the same settings;
 *   1. dual-write — producers write through mirrorQueue(old, new): the old transport stays the
 *      source of truth and its consumers keep acting; the new consumer only *verifies* the copies
 *      (tagged with the `migrated-from` attribute), proving the new path under real traffic;
 *   2. switch — producers write to SQS only; the new consumer acts on untagged messages;
 *   3. drain — the old consumers stop; what is left on the old side (queue and DLQ) is moved to
 *      SQS with moveMessages (moved copies are untagged, so they are acted on exactly once).
 *
 *   FROM_URL=redis://127.0.0.1:6379 TO_URL='sqs://?region=eu-west-1' pnpm exec tsx --conditions=source examples/migrate-to-sqs/migrate.ts
 *
 * Defaults: two separate in-memory brokers, so it runs anywhere.
 */
// An application imports the transports it uses (`import '@msgport/redis'; import '@msgport/sqs';`)
// and calls connect(url). This example takes any URL, so it opens brokers with the CLI's loader.
import { openBroker } from '@msgport/cli';
import { type Broker, consumeMessages, mirrorQueue, moveMessages, type Queue } from '@msgport/core';
import { Ledger, orderBody, orderId } from './ledger.js';

const FROM_URL = process.env.FROM_URL ?? 'memory://old';
const TO_URL = process.env.TO_URL ?? 'memory://new';
const PREFIX = process.env.QUEUE_PREFIX ?? 'migrate-demo-';
const TAG = 'migrated-from';
const QUEUE = `${PREFIX}orders`;
const DLQ = `${PREFIX}orders-dlq`;

async function createQueues(broker: Broker): Promise<Queue> {
  await broker.createQueue(DLQ);
  return broker.createQueue(QUEUE, { visibilityTimeoutSeconds: 30, deadLetter: { queue: DLQ, maxReceiveCount: 3 } });
}

async function until(what: string, done: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const send = (queue: { sendBatch: Queue['sendBatch'] }, ids: number[]) =>
  queue.sendBatch(ids.map((id) => ({ id: `o${id}`, body: orderBody(id) })));

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

export async function migrate(log: (line: string) => void = console.log): Promise<Ledger> {
  const oldBroker = await openBroker(FROM_URL);
  const newBroker = await openBroker(TO_URL);
  const ledger = new Ledger();
  try {
    log(`migrating "${QUEUE}" from ${oldBroker.transport} to ${newBroker.transport}`);
    // 0. prepare: the existing system, and the same queues on the new transport
    //    (`msgport move` creates a missing destination with the same settings, too).
    const oldOrders = await createQueues(oldBroker);
    const newOrders = await createQueues(newBroker);
    await oldBroker.queue(DLQ).send(orderBody(230)); // a dead letter from the old days, its bug fixed since
    const oldConsumer = await consumeMessages(oldOrders, async (m) => ledger.act(orderId(m.rawBody), 'old'), {
      batchSize: 10,
    });

    // 1. dual-write: every order goes to both; the old side acts, the new side verifies the copies.
    const failures: string[] = [];
    const mirror = mirrorQueue(oldOrders, newOrders, {
      secondaryAttribute: TAG,
      onFailure: (failure) => {
        for (const entry of failure.entries) failures.push(`${entry.entry.id}: ${entry.code} ${entry.message}`);
      },
    });
    const newConsumer = await consumeMessages(
      newOrders,
      async (message) => {
        const id = orderId(message.rawBody); // the new deployment's parsing, exercised on real traffic
        if (message.attributes[TAG]) ledger.verified++;
        else ledger.act(id, 'new');
      },
      { batchSize: 10 },
    );
    await send(mirror, range(0, 100));
    await until('the dual-write orders', () => ledger.count('old') === 100 && ledger.verified === 100);
    log(`1. dual-write: 100 orders acted on ${oldBroker.transport}, 100 copies verified on ${newBroker.transport}`);

    // A last burst while the old consumer is being stopped: some of it is left on the old side.
    await oldConsumer.stop();
    await send(mirror, range(100, 30));
    log(`   mirror counts ${JSON.stringify(mirror.counts())}, ${failures.length} secondary failures`);

    // 2. switch: producers write to the new transport only.
    await send(newOrders, range(130, 100));
    await until('the switched orders', () => ledger.count('new') === 100);
    log(`2. switch: 100 new orders acted on ${newBroker.transport}`);

    // 3. drain: move what the old side still holds; moved messages are untagged, so they are acted on.
    const left = await moveMessages(oldOrders, newOrders);
    const dead = await moveMessages(oldBroker.queue(DLQ), newBroker.queue(DLQ));
    await until('the drained orders', () => ledger.count() === 230);
    const redriven = await newBroker.queue(DLQ).redrive();
    await until('the redriven order', () => ledger.count() === 231);
    await newConsumer.stop();
    log(
      `3. drain: moved ${left} orders and ${dead} dead letters from ${oldBroker.transport}; redrove ${redriven.moved}`,
    );

    const oldLeft = (await oldOrders.getAttributes()).visible + (await oldBroker.queue(DLQ).getAttributes()).visible;
    const missing = ledger.missing(231).length;
    log(
      `migrated: ${ledger.count()} orders processed, ${ledger.duplicates.length} twice, ${missing} missing, ` +
        `${failures.length} mirror failures, ${oldLeft} left on ${oldBroker.transport}`,
    );
    return ledger;
  } finally {
    await Promise.all([oldBroker.close(), newBroker.close()]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await migrate();
}
