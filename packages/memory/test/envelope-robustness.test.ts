import { describe, expect, it } from 'vitest';
import { createMemoryBroker } from '../src/index.js';

/**
 * A queue handle that unwraps SNS envelopes reads bodies other producers wrote. A body that looks
 * like a notification but is not a well-formed one is delivered as it is: it must never fail the
 * receive, which would hide every message of the batch until its visibility timeout, again and again.
 */
const envelope = (attributes: unknown) =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: 'm',
    TopicArn: 'arn:aws:sns:us-east-1:000000000000:t',
    Message: 'inner',
    Timestamp: '2026-01-01T00:00:00.000Z',
    MessageAttributes: attributes,
  });

describe('unwrapping envelopes from other producers (memory)', () => {
  it.each([
    ['an attribute that is null', { a: null }],
    ['an attribute without a Type', { a: { Value: 'x' } }],
    ['an attribute whose Type is a number', { a: { Type: 7, Value: 'x' } }],
    ['an attribute whose Value is not a string', { a: { Type: 'String', Value: { x: 1 } } }],
    ['attributes that are a list', [1, 2]],
    ['attributes that are a string', 'nope'],
  ])('%s: the batch is received, the odd body as it is', async (_, attributes) => {
    const broker = createMemoryBroker({ logger: false });
    try {
      await broker.createQueue('mixed', { visibilityTimeoutSeconds: 60 });
      const raw = broker.queue('mixed');
      const odd = envelope(attributes);
      await raw.sendBatch([
        { id: 'a', body: odd },
        { id: 'b', body: 'plain' },
      ]);
      const unwrapping = broker.queue('mixed', { unwrapEnvelopes: true });
      const messages = await unwrapping.receive({ maxMessages: 10 });
      expect(messages.map((message) => message.rawBody).sort()).toEqual([odd, 'plain'].sort());
    } finally {
      await broker.close();
    }
  });

  it.each([
    ['without a Subject', {}],
    ['with a null Subject, as SNS emulators send it', { Subject: null }],
  ])('a well-formed envelope %s is still unwrapped with its attributes', async (_, extra) => {
    const broker = createMemoryBroker({ logger: false });
    try {
      await broker.createQueue('wrapped', { visibilityTimeoutSeconds: 60 });
      const body = JSON.stringify({ ...JSON.parse(envelope({ n: { Type: 'Number', Value: '5' } })), ...extra });
      await broker.queue('wrapped').send(body);
      const [message] = await broker.queue('wrapped', { unwrapEnvelopes: true }).receive();
      expect(message?.rawBody).toBe('inner');
      expect(message?.attributes).toEqual({ n: { dataType: 'Number', stringValue: '5' } });
    } finally {
      await broker.close();
    }
  });
});
