import { describe, expect, it } from 'vitest';
import {
  type DriverPublishEntry,
  type DriverSubscription,
  type FanOutTarget,
  fanOut,
  LIMITS,
  localTopicArn,
  subscriptionFilter,
} from '../../src/driver/index.js';
import { unwrapSnsEnvelope } from '../../src/sns-envelope.js';

const subscription = (queue: string, extra: Partial<DriverSubscription> = {}): DriverSubscription => ({
  id: `sub-${queue}`,
  topic: 't',
  queue,
  rawMessageDelivery: false,
  filterPolicyScope: 'MessageAttributes',
  ...extra,
});

const entry: DriverPublishEntry = {
  id: 'e1',
  body: 'hello',
  attributes: { color: { dataType: 'String', stringValue: 'red' } },
  subject: 'greeting',
};

const standard: FanOutTarget = { fifo: false, maxMessageBytes: LIMITS.messageBytesMax };
const publish = (targets: Record<string, FanOutTarget>, extra: { sequenceNumber?: string } = {}) => ({
  messageId: 'mid-1',
  topicArn: localTopicArn('t'),
  timestamp: Date.UTC(2026, 0, 1),
  ...extra,
  target: (queue: string) => targets[queue],
});

describe('fanOut', () => {
  it('one copy per matching subscription: raw keeps body and attributes, the envelope carries them', () => {
    const deliveries = fanOut(
      entry,
      [subscription('raw', { rawMessageDelivery: true }), subscription('wrapped')],
      publish({ raw: standard, wrapped: standard }),
    );
    expect(deliveries.map((d) => [d.queue, d.raw])).toEqual([
      ['raw', true],
      ['wrapped', false],
    ]);
    const [raw, wrapped] = deliveries;
    expect(raw?.body).toBe('hello');
    expect(raw?.attributes).toBe(entry.attributes);
    expect(wrapped?.attributes).toEqual({});
    const envelope = unwrapSnsEnvelope(wrapped?.body ?? '');
    expect(envelope?.body).toBe('hello');
    expect(envelope?.attributes).toEqual(entry.attributes);
    expect(envelope?.envelope).toMatchObject({
      MessageId: 'mid-1',
      TopicArn: 'arn:aws:sns:local:000000000000:t',
      Subject: 'greeting',
      Timestamp: '2026-01-01T00:00:00.000Z',
    });
  });

  it('every enveloped copy shares one envelope string', () => {
    const deliveries = fanOut(entry, [subscription('a'), subscription('b')], publish({ a: standard, b: standard }));
    expect(deliveries[0]?.body).toBe(deliveries[1]?.body);
  });

  it('filter policies choose the subscriptions, in either scope', () => {
    const red = { filterPolicy: { color: ['red'] } };
    const blue = { filterPolicy: { color: ['blue'] } };
    const body = { filterPolicy: { kind: ['greeting'] }, filterPolicyScope: 'MessageBody' as const };
    const targets = { red: standard, blue: standard, body: standard };
    const subs = [subscription('red', red), subscription('blue', blue), subscription('body', body)];
    expect(fanOut(entry, subs, publish(targets)).map((d) => d.queue)).toEqual(['red']);
    const json = { ...entry, body: JSON.stringify({ kind: 'greeting' }) };
    expect(fanOut(json, subs, publish(targets)).map((d) => d.queue)).toEqual(['red', 'body']);
  });

  it('a deleted queue gets nothing; a copy larger than its queue accepts is dropped', () => {
    const small: FanOutTarget = { fifo: false, maxMessageBytes: 1_024 };
    const big = {
      ...entry,
      body: 'x'.repeat(1_000),
      attributes: { a: { dataType: 'String', stringValue: 'y'.repeat(30) } },
    };
    const subs = [
      subscription('gone'),
      subscription('raw-small', { rawMessageDelivery: true }),
      subscription('wrapped-small'),
      subscription('unchecked'),
    ];
    const deliveries = fanOut(
      big,
      subs,
      publish({ 'raw-small': small, 'wrapped-small': small, unchecked: { fifo: false } }),
    );
    expect(deliveries.map((d) => d.queue)).toEqual(['unchecked']);
    const fits = { ...big, attributes: {} };
    expect(fanOut(fits, subs, publish({ 'raw-small': small })).map((d) => d.queue)).toEqual(['raw-small']);
  });

  it('FIFO queues get the group and the deduplication id (the message id when the publish had none)', () => {
    const fifo: FanOutTarget = { fifo: true, maxMessageBytes: LIMITS.messageBytesMax };
    const grouped = { ...entry, groupId: 'g1' };
    const subs = [subscription('q.fifo'), subscription('std')];
    const targets = { 'q.fifo': fifo, std: standard };
    const [toFifo, toStandard] = fanOut(grouped, subs, publish(targets, { sequenceNumber: '00000000000000000001' }));
    expect(toFifo).toMatchObject({ groupId: 'g1', deduplicationId: 'mid-1' });
    expect(toStandard?.groupId).toBe('g1');
    expect(toStandard && 'deduplicationId' in toStandard).toBe(false);
    expect(unwrapSnsEnvelope(toFifo?.body ?? '')?.envelope.SequenceNumber).toBe('00000000000000000001');
    const [explicit] = fanOut({ ...grouped, deduplicationId: 'd-7' }, subs, publish(targets));
    expect(explicit?.deduplicationId).toBe('d-7');
  });
});

describe('subscriptionFilter', () => {
  it('compiles a policy once, found again by object or by text', () => {
    const policy = { color: ['red'] };
    const a = subscriptionFilter(subscription('a', { filterPolicy: policy }));
    expect(subscriptionFilter(subscription('b', { filterPolicy: policy }))).toBe(a);
    expect(subscriptionFilter(subscription('c', { filterPolicy: { color: ['red'] } }))).toBe(a);
    const bodyScope = subscriptionFilter(subscription('d', { filterPolicy: policy, filterPolicyScope: 'MessageBody' }));
    expect(bodyScope).not.toBe(a);
    expect(subscriptionFilter(subscription('e'))).toBeUndefined();
  });
});
