import { Broker } from '@msgport/core';
import { createSqsDriver, parseSqsUrl } from '@msgport/sqs';
import { describe, expect, it } from 'vitest';
import { fauxqsUrl, noFauxqs, uniqueName } from './support/broker.js';

describe.skipIf(noFauxqs)('request meter with topics', () => {
  it('counts SNS requests and published messages on the driver meter', async () => {
    const driver = createSqsDriver(parseSqsUrl(fauxqsUrl()));
    const broker = new Broker(driver);
    try {
      expect(driver.capabilities.topics).toBe(true);
      const topic = await broker.createTopic(uniqueName('meter-topic'));
      await topic.publishBatch(Array.from({ length: 12 }, (_, i) => ({ id: `p${i}`, body: `p${i}` })));
      expect(driver.requestCounts().requests.byOperation).toEqual({
        'sns:CreateTopic': 1,
        'sns:PublishBatch': 2,
      });
      expect(driver.requestCounts().requests.byService).toEqual({ sqs: 0, sns: 3 });
      expect(driver.requestCounts().messages.published).toBe(12);
      await broker.deleteTopic(topic.name);
    } finally {
      await broker.close();
    }
  });
});
