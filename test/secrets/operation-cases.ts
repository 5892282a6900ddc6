import { randomBytes } from 'node:crypto';
import { type Broker, consume, type MsgportError } from '@msgport/core';
import { type Probe, type SecretCase, secret } from './secret-case.js';

/** A working broker whose URL holds `urlSecrets`, on which operations fail in ordinary ways. */
export interface OperationTarget {
  readonly open: (probe: Probe) => Promise<Broker>;
  /** What of the URL must never show (its password, secret parameters). */
  readonly urlSecrets: readonly string[];
  readonly fifo: boolean;
  readonly knownFailures?: Readonly<Record<string, string>>;
}

const name = (tag: string) => `sec-${tag}-${randomBytes(4).toString('hex')}`;

/** A queue made for the case and deleted after it. */
async function ownQueue(probe: Probe, broker: Broker, tag: string, fifo = false) {
  const queue = await broker.createQueue(`${name(tag)}${fifo ? '.fifo' : ''}`, fifo ? { fifo: true } : {});
  probe.onCleanup(() => broker.deleteQueue(queue.name));
  return queue;
}

/** Resolves with the first `transportError` of a consumer on a missing queue, as a rejection. */
async function consumerError(probe: Probe, broker: Broker): Promise<never> {
  const consumer = await consume(broker.queue(name('consume-missing')), async () => undefined, {
    waitTimeSeconds: 1,
  });
  consumer.on('warning', (warning: unknown) => probe.events.push(warning));
  const first = await new Promise<MsgportError | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 5_000);
    consumer.on('transportError', (error: MsgportError) => {
      probe.events.push(error);
      clearTimeout(timer);
      resolve(error);
    });
  });
  await consumer.stop();
  throw first ?? new Error('the consumer reported no transport error within 5 s');
}

/**
 * Ordinary failures on a working connection — missing queues and topics, conflicts, invalid
 * handles and values, a closed broker, a consumer on a missing queue — each also carrying a secret
 * in a value (an attribute, a receipt handle, a group id, a body) that must not be echoed.
 */
export function operationCases(target: OperationTarget): SecretCase[] {
  const cases: SecretCase[] = [];
  const add = (
    title: string,
    codes: readonly string[],
    run: (probe: Probe, broker: Broker, value: string) => Promise<unknown>,
  ) => {
    const value = secret('val');
    const known = target.knownFailures?.[title];
    cases.push({
      name: `operation: ${title}`,
      codes,
      secrets: [...target.urlSecrets, value],
      run: async (probe) => run(probe, await target.open(probe), value),
      ...(known !== undefined ? { knownFailure: known } : {}),
    });
  };
  const missing = (broker: Broker) => broker.queue(name('missing'));

  add('send to a missing queue', ['QueueDoesNotExist'], (_p, b, v) =>
    missing(b).send('x', { attributes: { token: v } }),
  );
  add('sendBatch to a missing queue', ['QueueDoesNotExist'], (_p, b, v) =>
    missing(b).sendBatch([{ id: 'a', body: 'x', attributes: { token: v } }]),
  );
  add('receive from a missing queue', ['QueueDoesNotExist'], (_p, b) => missing(b).receive({ waitTimeSeconds: 0 }));
  add('delete with a receipt handle on a missing queue', ['QueueDoesNotExist', 'ReceiptHandleIsInvalid'], (_p, b, v) =>
    missing(b).delete(v),
  );
  add('changeVisibility with a forged receipt handle', ['ReceiptHandleIsInvalid'], async (p, b, v) => {
    const queue = await ownQueue(p, b, 'forged');
    await queue.changeVisibility(`${v}-forged`, 0);
  });
  add('getAttributes of a missing queue', ['QueueDoesNotExist'], (_p, b) => missing(b).getAttributes());
  add('purge a missing queue', ['QueueDoesNotExist'], (_p, b) => missing(b).purge());
  add('deleteQueue of a missing queue', ['QueueDoesNotExist'], (_p, b) => b.deleteQueue(name('missing')));
  add('createQueue with other attributes than the existing queue', ['QueueAlreadyExists'], async (p, b) => {
    const queue = await ownQueue(p, b, 'conflict');
    await b.createQueue(queue.name, { visibilityTimeoutSeconds: 7 });
  });
  add('redrive to a missing queue', ['QueueDoesNotExist'], async (p, b) => {
    const queue = await ownQueue(p, b, 'redrive');
    await queue.send('x');
    await queue.redrive({ to: name('missing') });
  });
  add('publish to a missing topic', ['TopicDoesNotExist'], (_p, b, v) =>
    b.topic(name('missing')).publish('x', { attributes: { token: v } }),
  );
  add('subscribe a missing queue', ['QueueDoesNotExist'], async (p, b) => {
    const topic = await b.createTopic(name('topic'));
    p.onCleanup(() => b.deleteTopic(topic.name));
    await topic.subscribe(name('missing'));
  });
  add('listSubscriptions of a missing topic', ['TopicDoesNotExist'], (_p, b) =>
    b.topic(name('missing')).listSubscriptions(),
  );
  add('Number attribute with a non-numeric secret value', ['InvalidParameter'], async (p, b, v) => {
    const queue = await ownQueue(p, b, 'number');
    await queue.send('x', { attributes: { n: { dataType: 'Number', stringValue: v } } });
  });
  add('message over the size limit carrying a secret', ['MessageTooLong'], async (p, b, v) => {
    const queue = await ownQueue(p, b, 'big');
    await queue.send(`${v}${'x'.repeat(1_048_576)}`);
  });
  add('body with a forbidden character and a secret', ['InvalidMessageContents'], async (p, b, v) => {
    const queue = await ownQueue(p, b, 'nul');
    await queue.send(`${v}\u0000`);
  });
  if (target.fifo) {
    add('FIFO groupId with a secret and a space', ['InvalidParameter'], async (p, b, v) => {
      const queue = await ownQueue(p, b, 'group', true);
      await queue.send('x', { groupId: `${v} x`, deduplicationId: 'd' });
    });
  }
  add('send after close', ['Closed'], async (_p, b, v) => {
    const queue = b.queue(name('closed'));
    await b.close();
    await queue.send('x', { attributes: { token: v } });
  });
  add('consumer on a missing queue (events and logs)', ['QueueDoesNotExist'], (p, b) => consumerError(p, b));
  return cases;
}
