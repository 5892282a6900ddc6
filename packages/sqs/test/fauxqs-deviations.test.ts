/**
 * Pins the fauxqs 1.9.2 departures from SQS/SNS, each next to the AWS behaviour the tests see: the
 * transport's own (whole-config compare, URLs) or, for rules SQS enforces itself, the test-side
 * client rules (`withAwsRules` in @msgport/test-support) — so docs/transports/sqs-sns.md stays true
 * (if fauxqs changes, a raw assertion here fails). Other departures are conformance known failures
 * (test/support/known-failures.ts) and the SNS filter differential (packages/sns/test).
 */
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  GetQueueUrlCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { type Broker, connect, isMsgportError, type ReceivedMessage } from '@msgport/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqsNative } from '../src/index.js';
import { connectFauxqs, fauxqsUrl, noFauxqs, uniqueName } from './support/fauxqs.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return isMsgportError(error) ? error.code : `raw: ${(error as Error).name}`;
  }
}

describe.skipIf(noFauxqs)('fauxqs 1.9.2 departures and how the tests cover them', () => {
  let broker: Broker;
  let plain: Broker;
  let native: SqsNative;
  beforeAll(async () => {
    broker = await connectFauxqs();
    // the emulator as it is, without the test-side rules
    plain = await connect(fauxqsUrl());
    native = plain.native() as SqsNative;
  });
  afterAll(async () => {
    await broker?.close();
    await plain?.close();
  });

  async function rawQueue(name: string, attributes: Record<string, string> = {}): Promise<string> {
    const { QueueUrl } = await native.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    return QueueUrl as string;
  }

  it('PurgeQueue: fauxqs purges again at once; the test client keeps the 60-second rule', async () => {
    const name = uniqueName('dev-purge');
    const QueueUrl = await rawQueue(name);
    await native.sqs.send(new PurgeQueueCommand({ QueueUrl }));
    await native.sqs.send(new PurgeQueueCommand({ QueueUrl }));
    const queue = broker.queue(name);
    await queue.purge();
    expect(await codeOf(queue.purge())).toBe('PurgeInProgress');
  });

  it('visibility: fauxqs accepts changes past 12 hours and on expired handles; the test client refuses both', async () => {
    const name = uniqueName('dev-vis');
    const QueueUrl = await rawQueue(name);
    await native.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    const raw = await native.sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 1 }));
    const ReceiptHandle = raw.Messages?.[0]?.ReceiptHandle as string;
    await sleep(1100);
    // expired, not yet received again: SQS answers MessageNotInflight, fauxqs accepts (even 12 h)
    await native.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 43_200 }));

    const queue = broker.queue(name);
    await queue.send('y');
    const [message] = await queue.receive({ visibilityTimeoutSeconds: 1 });
    await sleep(10);
    expect(await codeOf(queue.changeVisibility(message as ReceivedMessage, 43_200))).toBe('InvalidParameter');
    await sleep(1100);
    expect(await codeOf(queue.changeVisibility(message as ReceivedMessage, 10))).toBe('MessageNotInflight');
  });

  it('CreateQueue: fauxqs compares only the attributes a request names; the transport compares the whole config', async () => {
    const name = uniqueName('dev-create');
    await rawQueue(name, { VisibilityTimeout: '45' });
    // the same name without VisibilityTimeout: fauxqs returns the existing queue
    await native.sqs.send(new CreateQueueCommand({ QueueName: name }));
    expect(await codeOf(broker.createQueue(name))).toBe('QueueAlreadyExists');
    await broker.createQueue(name, { visibilityTimeoutSeconds: 45 });
  });

  it('dead-lettering: fauxqs keeps the FIFO deduplication id and carries the receive count into the DLQ', async () => {
    const dlq = await broker.createQueue(uniqueName('dev-dlq', true), { fifo: true });
    const source = await broker.createQueue(uniqueName('dev-src', true), {
      fifo: true,
      deadLetter: { queue: dlq.name, maxReceiveCount: 1 },
    });
    const { messageId } = await source.send('poison', { groupId: 'g', deduplicationId: 'dedup-1' });
    await source.receive({ visibilityTimeoutSeconds: 0 });
    expect(await source.receive()).toEqual([]);
    const [dead] = await dlq.receive({ waitTimeSeconds: 1 });
    expect(dead?.messageId).toBe(messageId);
    // SQS: "the original message's deduplication ID will be replaced with the original message's ID"
    expect(dead?.deduplicationId).toBe('dedup-1');
    // receive 1 at the source, the move (2), this receive (3); AWS does not document the count
    expect(dead?.receiveCount).toBe(3);
  });

  it('long polls: fauxqs answers the pollers that lose a message empty at once (the test client resumes them)', async () => {
    const name = uniqueName('dev-poll');
    const QueueUrl = await rawQueue(name);
    const started = Date.now();
    const raw = [1, 2].map(() =>
      native.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 })).then((r) => ({
        count: r.Messages?.length ?? 0,
        at: Date.now(),
      })),
    );
    await sleep(200);
    await native.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    const answers = await Promise.all(raw);
    expect(answers.map((a) => a.count).sort()).toEqual([0, 1]);
    // SQS would keep the empty one waiting until its 5 s are over
    for (const answer of answers) expect(answer.at - started).toBeLessThan(2000);
  });

  it('bodies: fauxqs rejects characters above U+FFFF, which SQS allows', async () => {
    const queue = await broker.createQueue(uniqueName('dev-emoji'));
    expect(await codeOf(queue.send('smile 😀'))).toBe('InvalidMessageContents');
    await queue.send('smile ☺');
  });

  it('GetQueueUrl works for every queue; queue URLs point at sqs.<region>.localhost', async () => {
    const name = uniqueName('dev-url');
    await broker.createQueue(name);
    const { QueueUrl } = await native.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    // the SDK would send requests to this host without an explicit endpoint; the transport always sets it
    expect(QueueUrl).toMatch(/^http:\/\/sqs\.us-east-1\.localhost:\d+\/000000000000\//);
  });
});
