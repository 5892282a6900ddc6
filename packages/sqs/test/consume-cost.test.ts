import { Broker, consume } from '@msgport/core';
import { describe, expect, it } from 'vitest';
import { createSqsDriver } from '../src/index.js';
import { parseSqsUrl } from '../src/url.js';
import { fauxqsClient, fauxqsUrl, noFauxqs, uniqueName } from './support/fauxqs.js';

// SQS bills per request. With batches of 10 the ideal is 0.3 requests per processed message: one
// SendMessageBatch, one ReceiveMessage and one DeleteMessageBatch per 10 messages.
describe.skipIf(noFauxqs)('request cost of consume() under steady load', () => {
  it('stays at or below 0.35 requests per processed message', async () => {
    const driver = createSqsDriver(parseSqsUrl(fauxqsUrl()), { sqsClient: fauxqsClient() });
    const broker = new Broker(driver);
    const queue = await broker.createQueue(uniqueName('cost'), { visibilityTimeoutSeconds: 30 });
    const total = 1_500;
    const body = 'x'.repeat(200);
    let processed = 0;
    driver.meter.reset();
    // Steady load: a producer a little ahead of a consumer whose handler takes a few milliseconds.
    const producing = (async () => {
      for (let sent = 0; sent < total; sent += 10) {
        await queue.sendBatch(Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, body })));
      }
    })();
    const consumer = await consume(
      queue,
      async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        processed += event.Records.length;
      },
      { batchSize: 10, maximumConcurrency: 2, functionTimeoutSeconds: 5, waitTimeSeconds: 20 },
    );
    consumer.on('warning', () => {});
    await producing;
    while (consumer.metrics().NumberOfMessagesDeleted < total) await new Promise((resolve) => setTimeout(resolve, 20));
    const snapshot = driver.requestCounts();
    const perMessage = snapshot.requests.total / snapshot.messages.deleted;
    await consumer.stop();
    await broker.deleteQueue(queue.name);
    await broker.close();
    console.info(
      `[cost] ${snapshot.requests.total} requests for ${snapshot.messages.deleted} messages = ${perMessage.toFixed(3)} per message`,
      snapshot.requests.byOperation,
    );
    expect(processed).toBeGreaterThanOrEqual(total);
    expect(perMessage).toBeLessThanOrEqual(0.35);
  }, 120_000);
});
