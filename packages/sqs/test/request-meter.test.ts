import { Broker } from '@msgport/core';
import { describe, expect, it } from 'vitest';
import { createSqsDriver, RequestMeter } from '../src/index.js';
import { parseSqsUrl } from '../src/url.js';
import { fauxqsClient, fauxqsUrl, noFauxqs, uniqueName } from './support/fauxqs.js';

describe('RequestMeter', () => {
  it('counts requests per service and operation, and messages', () => {
    const meter = new RequestMeter();
    meter.countRequest('sqs', 'ReceiveMessage');
    meter.countRequest('sqs', 'ReceiveMessage');
    meter.countRequest('sns', 'PublishBatch');
    meter.countMessages('deleted', 10);
    expect(meter.snapshot()).toEqual({
      requests: {
        total: 3,
        byService: { sqs: 2, sns: 1 },
        byOperation: { 'sns:PublishBatch': 1, 'sqs:ReceiveMessage': 2 },
      },
      messages: { sent: 0, received: 0, deleted: 10, published: 0, digestMismatches: 0 },
    });
    expect(meter.requestsPerMessage()).toBeCloseTo(0.3);
    meter.reset();
    expect(meter.snapshot().requests.total).toBe(0);
    expect(meter.requestsPerMessage()).toBe(Number.POSITIVE_INFINITY);
  });
});

describe.skipIf(noFauxqs)('request meter on the SDK clients', () => {
  it('counts every SQS request the driver makes, once', async () => {
    const driver = createSqsDriver(parseSqsUrl(fauxqsUrl()), { sqsClient: fauxqsClient() });
    const broker = new Broker(driver);
    try {
      const queue = await broker.createQueue(uniqueName('meter'));
      // CreateQueue + GetQueueAttributes (whole-config comparison)
      expect(driver.requestCounts().requests.byOperation).toEqual({
        'sqs:CreateQueue': 1,
        'sqs:GetQueueAttributes': 1,
      });
      driver.meter.reset();

      // 25 messages: 3 SendMessageBatch requests (core chunks by 10), URL cached from CreateQueue
      await queue.sendBatch(Array.from({ length: 25 }, (_, i) => ({ id: `m${i}`, body: `body ${i}` })));
      expect(driver.requestCounts().requests).toEqual({
        total: 3,
        byService: { sqs: 3, sns: 0 },
        byOperation: { 'sqs:SendMessageBatch': 3 },
      });

      let processed = 0;
      while (processed < 25) {
        const batch = await queue.receive({ maxMessages: 10, waitTimeSeconds: 1 });
        await queue.deleteBatch(batch.map((m, i) => ({ id: `d${i}`, receiptHandle: m.receiptHandle })));
        processed += batch.length;
      }
      const { requests, messages } = driver.requestCounts();
      expect(messages).toMatchObject({ sent: 25, received: 25, deleted: 25 });
      // 3 sends + 3 receives + 3 deletes for 25 messages
      expect(requests.byOperation).toEqual({
        'sqs:SendMessageBatch': 3,
        'sqs:ReceiveMessage': 3,
        'sqs:DeleteMessageBatch': 3,
      });
      expect(driver.meter.requestsPerMessage('deleted')).toBeCloseTo(9 / 25);
    } finally {
      await broker.close();
    }
  });

  it('counts a request that fails, and a fresh handle resolves the queue URL once', async () => {
    const driver = createSqsDriver(parseSqsUrl(fauxqsUrl()), { sqsClient: fauxqsClient() });
    const broker = new Broker(driver);
    try {
      const name = uniqueName('meter-url');
      await broker.createQueue(name);
      const other = createSqsDriver(parseSqsUrl(fauxqsUrl()), { sqsClient: fauxqsClient() });
      const otherBroker = new Broker(other);
      const queue = otherBroker.queue(name);
      await queue.send('a', { delaySeconds: 0 });
      await queue.send('b', { delaySeconds: 0 });
      // getQueue (config for validation) needs the URL: GetQueueUrl once, then cached
      expect(other.requestCounts().requests.byOperation).toEqual({
        'sqs:GetQueueUrl': 1,
        'sqs:GetQueueAttributes': 1,
        'sqs:SendMessageBatch': 2,
      });
      await otherBroker
        .queue(uniqueName('meter-missing'))
        .send('x')
        .catch(() => undefined);
      expect(other.requestCounts().requests.byOperation['sqs:GetQueueUrl']).toBe(2);
      await otherBroker.close();
    } finally {
      await broker.close();
    }
  });
});
