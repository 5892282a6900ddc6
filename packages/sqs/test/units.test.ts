import { describe, expect, it } from 'vitest';
import { longPoll } from '../src/long-poll.js';
import { fromQueueAttributes, toQueueAttributes } from '../src/queue-attributes.js';
import { allowTopicPolicy, topicStatementId } from '../src/queue-policy.js';
import { ReceiptLeases } from '../src/receipt-leases.js';

const HOUR = 3_600_000;

describe('ReceiptLeases', () => {
  it('refuses changes on expired handles and past the 12-hour cap; unknown handles are left to SQS', () => {
    const leases = new ReceiptLeases();
    leases.record('h', 0, 30_000);
    expect(leases.refusal({ id: 'a', receiptHandle: 'h', visibilityTimeoutSeconds: 60 }, 1_000)).toBeUndefined();
    expect(leases.refusal({ id: 'a', receiptHandle: 'h', visibilityTimeoutSeconds: 60 }, 30_000)?.code).toBe(
      'MessageNotInflight',
    );
    leases.extend('h', 20_000, 43_000);
    expect(leases.refusal({ id: 'a', receiptHandle: 'h', visibilityTimeoutSeconds: 43_190 }, 20_000)?.code).toBe(
      'InvalidParameter',
    );
    expect(leases.refusal({ id: 'a', receiptHandle: 'h', visibilityTimeoutSeconds: 43_180 }, 20_000)).toBeUndefined();
    expect(
      leases.refusal({ id: 'a', receiptHandle: 'other', visibilityTimeoutSeconds: 43_200 }, 99 * HOUR),
    ).toBeUndefined();
  });

  it('forgets entries past 12 hours and beyond its capacity', () => {
    const leases = new ReceiptLeases(2);
    leases.record('a', 0, undefined);
    leases.record('b', 1, undefined);
    leases.record('c', 2, undefined);
    expect(leases.exceedsCap('a', 43_200, 10)).toBe(false); // forgotten: unknown
    expect(leases.exceedsCap('b', 43_200, 10)).toBe(true);
    leases.record('d', 13 * HOUR, undefined);
    expect(leases.exceedsCap('b', 43_200, 13 * HOUR)).toBe(false); // past the horizon: dropped
    expect(leases.exceedsCap('d', 43_200, 13 * HOUR + 1)).toBe(true);
  });
});

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
    };
    const attributes = toQueueAttributes(config, 'arn:aws:sqs:r:1:d.fifo');
    expect(fromQueueAttributes(attributes).config).toEqual(config);
  });
});

describe('longPoll', () => {
  const aborted = async () => {
    const { AbortedError } = await import('@msgport/core');
    return new AbortedError('gone');
  };

  it('resumes a poll answered empty before its time, in whole seconds, and gives up at the deadline', async () => {
    const waits: number[] = [];
    const started = Date.now();
    const items = await longPoll(2, undefined, async (wait, signal) => {
      waits.push(wait);
      if (waits.length === 1) return { items: [], answered: 0 }; // early empty answer
      await new Promise<void>((resolve, reject) => {
        signal?.addEventListener('abort', async () => reject(await aborted()), { once: true });
        setTimeout(resolve, 5_000);
      });
      return { items: ['late'], answered: 1 };
    });
    expect(items).toEqual([]);
    expect(waits).toEqual([2, 2]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_990);
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('returns what a poll answered, and passes the caller abort through', async () => {
    expect(await longPoll(5, undefined, async () => ({ items: [1], answered: 1 }))).toEqual([1]);
    expect(await longPoll(0, undefined, async () => ({ items: [], answered: 0 }))).toEqual([]);
    const controller = new AbortController();
    controller.abort();
    await expect(
      longPoll(5, controller.signal, async () => {
        throw await aborted();
      }),
    ).rejects.toThrow('gone');
  });
});
