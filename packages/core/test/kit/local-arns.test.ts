import { describe, expect, it } from 'vitest';
import { localQueueArn, localTopicArn, newSubscriptionArn, topicOfSubscriptionArn } from '../../src/driver/index.js';

describe('local ARNs', () => {
  it('topic and queue ARNs are shaped as AWS shapes them, with the local account', () => {
    expect(localTopicArn('orders')).toBe('arn:aws:sns:local:000000000000:orders');
    expect(localQueueArn('jobs')).toBe('arn:aws:sqs:local:000000000000:jobs');
    expect(localQueueArn('jobs.fifo', 'eu-west-1')).toBe('arn:aws:sqs:eu-west-1:000000000000:jobs.fifo');
  });

  it('a subscription ARN names its topic, even a topic whose name looks like an ARN part', () => {
    for (const topic of ['t', 'orders.fifo', 'a-b_c', 'x'.repeat(256)]) {
      const id = newSubscriptionArn(topic);
      expect(id.startsWith(`${localTopicArn(topic)}:`)).toBe(true);
      expect(topicOfSubscriptionArn(id)).toBe(topic);
    }
    expect(newSubscriptionArn('t')).not.toBe(newSubscriptionArn('t'));
  });

  it('anything else is no subscription ARN', () => {
    for (const id of [
      '',
      'not-an-arn',
      localTopicArn('t'),
      `${localTopicArn('')}:00000000-0000-0000-0000-000000000000`,
      `arn:aws:sns:us-east-1:000000000000:t:00000000-0000-0000-0000-000000000000`,
      `${localTopicArn('t')}:not-a-uuid`,
    ]) {
      expect(topicOfSubscriptionArn(id)).toBeUndefined();
    }
  });
});
