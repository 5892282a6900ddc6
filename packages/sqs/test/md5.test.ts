import { createHash } from 'node:crypto';
import type { Message } from '@aws-sdk/client-sqs';
import { Broker } from '@msgport/core';
import { describe, expect, it } from 'vitest';
import { createSqsDriver, md5OfBody, md5OfMessageAttributes } from '../src/index.js';
import { parseSqsUrl } from '../src/url.js';
import { fauxqsClient, fauxqsUrl, noFauxqs, uniqueName } from './support/fauxqs.js';
import { tamperWith } from './support/tamper.js';

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
const u32 = (n: number) => Buffer.from([0, 0, 0, n]);

describe('MD5 digests', () => {
  it('hashes the UTF-8 body', () => {
    expect(md5OfBody('héllo')).toBe(md5(Buffer.from('héllo', 'utf8')));
  });

  it('encodes attributes as the SQS developer guide describes', () => {
    const expected = md5(
      Buffer.concat([
        // sorted by name: "a" (Binary) before "b" (String)
        u32(1),
        Buffer.from('a'),
        u32(6),
        Buffer.from('Binary'),
        Buffer.from([2]),
        u32(2),
        Buffer.from([0, 255]),
        u32(1),
        Buffer.from('b'),
        u32(10),
        Buffer.from('Number.int'),
        Buffer.from([1]),
        u32(2),
        Buffer.from('42'),
      ]),
    );
    expect(
      md5OfMessageAttributes({
        b: { dataType: 'Number.int', stringValue: '42' },
        a: { dataType: 'Binary', binaryValue: new Uint8Array([0, 255]) },
      }),
    ).toBe(expected);
    expect(md5OfMessageAttributes({})).toBeUndefined();
  });
});

describe.skipIf(noFauxqs)('MD5 verification against the emulator', () => {
  function open() {
    const driver = createSqsDriver(parseSqsUrl(fauxqsUrl()), { sqsClient: fauxqsClient() });
    return { driver, broker: new Broker(driver) };
  }

  it('agrees with the digests SQS computes for every attribute type', async () => {
    const { driver, broker } = open();
    try {
      const queue = await broker.createQueue(uniqueName('md5'));
      await queue.send('body ✓ é', {
        attributes: {
          s: 'ünïcode 😀',
          n: 12.5,
          b: new Uint8Array([0, 1, 254, 255]),
          label: { dataType: 'String.custom', stringValue: 'x' },
          bl: { dataType: 'Binary.gif', binaryValue: new Uint8Array([7]) },
        },
      });
      const [message] = await queue.receive({ waitTimeSeconds: 1 });
      expect(message?.body).toBe('body ✓ é');
      expect(message?.attributes.s?.stringValue).toBe('ünïcode 😀');
      expect(driver.requestCounts().messages.digestMismatches).toBe(0);
    } finally {
      await broker.close();
    }
  });

  it('does not hand out a received message whose body digest is wrong, and makes it visible again', async () => {
    const { driver, broker } = open();
    try {
      const queue = await broker.createQueue(uniqueName('md5-rx'), { visibilityTimeoutSeconds: 60 });
      await queue.send('original');
      const stop = tamperWith(driver.sqs, 'ReceiveMessage', (output) => {
        for (const message of (output.Messages as Message[] | undefined) ?? []) message.Body = 'damaged';
      });
      expect(await queue.receive({ waitTimeSeconds: 1 })).toEqual([]);
      expect(driver.requestCounts().messages.digestMismatches).toBe(1);
      stop();
      // released with visibility 0, so a clean copy arrives now rather than after 60 s
      const [message] = await queue.receive({ waitTimeSeconds: 1 });
      expect(message?.body).toBe('original');
      expect(message?.receiveCount).toBe(2);
    } finally {
      await broker.close();
    }
  });

  it('reports a sent entry whose digest SQS reports differently as failed', async () => {
    const { driver, broker } = open();
    try {
      const queue = await broker.createQueue(uniqueName('md5-tx'));
      tamperWith(driver.sqs, 'SendMessageBatch', (output) => {
        const successful = output.Successful as { Id: string; MD5OfMessageBody: string }[];
        for (const entry of successful) if (entry.Id === 'bad') entry.MD5OfMessageBody = '0'.repeat(32);
      });
      const result = await queue.sendBatch([
        { id: 'good', body: 'one' },
        { id: 'bad', body: 'two' },
      ]);
      expect(result.successful.map((entry) => entry.id)).toEqual(['good']);
      expect(result.failed).toEqual([expect.objectContaining({ id: 'bad', code: 'Internal', senderFault: false })]);
      expect(result.failed[0]?.message).toMatch(/digest/);
    } finally {
      await broker.close();
    }
  });
});
