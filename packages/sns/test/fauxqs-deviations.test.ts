/**
 * Pins the fauxqs 1.9.2 SNS departures the transport covers for itself, each next to the transport's
 * AWS behaviour (see docs/transports/sqs-sns.md). Filter departures: filter-differential.test.ts.
 */
import {
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { type Broker, isMsgportError } from '@msgport/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFauxqs, noFauxqs, type SqsNative, uniqueName } from './support/broker.js';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return isMsgportError(error) ? error.code : `raw: ${(error as Error).name}`;
  }
}

describe.skipIf(noFauxqs)('fauxqs 1.9.2 SNS departures the transport covers', () => {
  let broker: Broker;
  let native: SqsNative;
  beforeAll(async () => {
    broker = await connectFauxqs();
    native = broker.native() as SqsNative;
  });
  afterAll(async () => {
    await broker?.close();
  });

  const arnOf = (topic: string) => `arn:aws:sns:us-east-1:000000000000:${topic}`;

  it('Unsubscribe: fauxqs accepts unknown subscription ARNs; the transport reports SubscriptionDoesNotExist', async () => {
    const topic = await broker.createTopic(uniqueName('dev-unsub'));
    const unknown = `${arnOf(topic.name)}:00000000-0000-0000-0000-000000000000`;
    await native.sns?.send(new UnsubscribeCommand({ SubscriptionArn: unknown }));
    expect(await codeOf(topic.unsubscribe(unknown))).toBe('SubscriptionDoesNotExist');
  });

  it('ListSubscriptionsByTopic: fauxqs answers [] for a missing topic; the transport reports TopicDoesNotExist', async () => {
    const missing = uniqueName('dev-list');
    await broker.createTopic(uniqueName('dev-list-known'));
    const raw = await native.sns?.send(new ListSubscriptionsByTopicCommand({ TopicArn: arnOf(missing) }));
    expect(raw?.Subscriptions ?? []).toEqual([]);
    expect(await codeOf(broker.topic(missing).listSubscriptions())).toBe('TopicDoesNotExist');
  });

  it('a standard topic may subscribe a FIFO queue on fauxqs; msgport refuses it as SNS does', async () => {
    const topic = await broker.createTopic(uniqueName('dev-std'));
    const queue = await broker.createQueue(uniqueName('dev-std-q', true), { fifo: true });
    const { sqs } = native;
    const { GetQueueAttributesCommand, GetQueueUrlCommand } = await import('@aws-sdk/client-sqs');
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queue.name }));
    const arn = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    const raw = await native.sns?.send(
      new SubscribeCommand({ TopicArn: arnOf(topic.name), Protocol: 'sqs', Endpoint: arn.Attributes?.QueueArn }),
    );
    expect(raw?.SubscriptionArn).toMatch(/^arn:aws:sns:/);
    expect(await codeOf(topic.subscribe(queue))).toBe('InvalidParameter');
  });

  it('FIFO topics: fauxqs returns no SequenceNumber on publish (SNS does)', async () => {
    const topic = await broker.createTopic(uniqueName('dev-seq', true), { contentBasedDeduplication: true });
    const raw = await native.sns?.send(
      new PublishCommand({ TopicArn: arnOf(topic.name), Message: 'x', MessageGroupId: 'g' }),
    );
    expect(raw?.SequenceNumber).toBeUndefined();
    const result = await topic.publish('y', { groupId: 'g' });
    expect(result.sequenceNumber).toBeUndefined();
  });
});
