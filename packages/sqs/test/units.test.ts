import { describe, expect, it } from 'vitest';
import { fromQueueAttributes, toQueueAttributes } from '../src/queue-attributes.js';
import { allowTopicPolicy, topicStatementId } from '../src/queue-policy.js';

describe('queue policy for subscriptions', () => {
  const queueArn = 'arn:aws:sqs:us-east-1:123456789012:q';
  const topicArn = 'arn:aws:sns:us-east-1:123456789012:t';

  it('adds one statement per topic and keeps the existing ones', () => {
    const existing = JSON.stringify({
      Version: '2012-10-17',
      Id: 'mine',
      Statement: [{ Sid: 'Keep', Effect: 'Deny' }],
    });
    const policy = JSON.parse(allowTopicPolicy(existing, queueArn, topicArn) ?? '{}');
    expect(policy.Id).toBe('mine');
    expect(policy.Statement).toEqual([
      { Sid: 'Keep', Effect: 'Deny' },
      {
        Sid: topicStatementId(topicArn),
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
      },
    ]);
    expect(allowTopicPolicy(JSON.stringify(policy), queueArn, topicArn)).toBeUndefined();
    expect(topicStatementId(topicArn)).toMatch(/^[A-Za-z0-9]+$/);
  });

  it('starts a policy when the queue has none (or an unreadable one)', () => {
    for (const existing of [undefined, '', 'not json']) {
      expect(JSON.parse(allowTopicPolicy(existing, queueArn, topicArn) ?? '{}').Statement).toHaveLength(1);
    }
  });
});

describe('queue attributes', () => {
  it('reads RedrivePolicy with a numeric or string maxReceiveCount (AWS / emulators)', () => {
    const arn = 'arn:aws:sqs:eu-west-1:1:the-dlq';
    for (const maxReceiveCount of [5, '5']) {
      const info = fromQueueAttributes({
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount }),
      });
      expect(info.config.deadLetter).toEqual({ queue: 'the-dlq', maxReceiveCount: 5 });
    }
  });

  it('round-trips a config through the attributes', () => {
    const config = {
      fifo: true,
      visibilityTimeoutSeconds: 5,
      delaySeconds: 1,
      retentionSeconds: 120,
      maxMessageBytes: 4096,
      receiveWaitTimeSeconds: 3,
      deadLetter: { queue: 'd.fifo', maxReceiveCount: 2 },
      contentBasedDeduplication: true,
      deduplicationScope: 'messageGroup' as const,
      fifoThroughputLimit: 'perMessageGroupId' as const,
    };
    const attributes = toQueueAttributes(config, 'arn:aws:sqs:r:1:d.fifo');
    expect(attributes.FifoThroughputLimit).toBe('perMessageGroupId');
    expect(fromQueueAttributes(attributes).config).toEqual(config);
    // absent (standard queues, emulators without the attribute): SQS's default
    expect(fromQueueAttributes({}).config.fifoThroughputLimit).toBe('perQueue');
  });
});
