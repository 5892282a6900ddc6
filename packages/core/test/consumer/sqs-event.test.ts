import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { textCodec } from '../../src/codecs.js';
import { toSqsEvent } from '../../src/consumer/sqs-event.js';
import type { DriverMessage } from '../../src/driver/driver.js';
import { ReceivedMessage } from '../../src/received-message.js';

function received(overrides: Partial<DriverMessage> = {}): ReceivedMessage {
  const message: DriverMessage = {
    messageId: 'id-1',
    receiptHandle: 'rh-1',
    body: 'hello',
    attributes: {},
    receiveCount: 1,
    sentTimestamp: 1_700_000_000_000,
    firstReceiveTimestamp: 1_700_000_000_005,
    ...overrides,
  } as DriverMessage;
  return new ReceivedMessage(message, textCodec);
}

describe('toSqsEvent', () => {
  it('gives each record its own attribute strings, whatever the batch shares or does not', () => {
    // The conversions keep the last timestamp they made: alternate values and counts past the table.
    const messages = [
      received({ messageId: 'a', sentTimestamp: 1, firstReceiveTimestamp: 10, receiveCount: 1 }),
      received({ messageId: 'b', sentTimestamp: 2, firstReceiveTimestamp: 10, receiveCount: 63 }),
      received({ messageId: 'c', sentTimestamp: 1, firstReceiveTimestamp: 11, receiveCount: 64 }),
      received({ messageId: 'd', sentTimestamp: 1, firstReceiveTimestamp: 10, receiveCount: 1_000 }),
    ];
    const records = toSqsEvent(messages, 'arn:aws:sqs:us-east-1:000000000000:q', 'us-east-1').Records;
    expect(records.map((r) => r.attributes.SentTimestamp)).toEqual(['1', '2', '1', '1']);
    expect(records.map((r) => r.attributes.ApproximateFirstReceiveTimestamp)).toEqual(['10', '10', '11', '10']);
    expect(records.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '63', '64', '1000']);
  });

  it('builds records in Lambda key order, with md5OfBody enumerable and right, and fresh attribute objects', () => {
    const [first, second] = toSqsEvent(
      [
        received(),
        received({
          messageId: 'id-2',
          attributes: { color: { dataType: 'String', stringValue: 'red' } },
          groupId: 'g',
          sequenceNumber: '7',
          deduplicationId: 'd',
        }),
      ],
      'arn',
      'eu-west-1',
    ).Records;
    expect(Object.keys(first ?? {})).toEqual([
      'messageId',
      'receiptHandle',
      'body',
      'attributes',
      'messageAttributes',
      'md5OfBody',
      'eventSource',
      'eventSourceARN',
      'awsRegion',
    ]);
    expect(JSON.parse(JSON.stringify(first)).md5OfBody).toBe(createHash('md5').update('hello').digest('hex'));
    expect(first?.messageAttributes).toEqual({});
    expect(first?.messageAttributes).not.toBe(second?.messageAttributes);
    expect(second?.messageAttributes).toEqual({
      color: { dataType: 'String', stringValue: 'red', stringListValues: [], binaryListValues: [] },
    });
    expect(second?.attributes).toMatchObject({ MessageGroupId: 'g', SequenceNumber: '7', MessageDeduplicationId: 'd' });
    expect(first?.attributes).not.toHaveProperty('MessageGroupId');
  });
});
