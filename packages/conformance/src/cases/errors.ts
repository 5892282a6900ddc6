import {
  AbortedError,
  type Broker,
  ClosedError,
  InvalidParameterError,
  type MsgportError,
  PurgeInProgressError,
  QueueDoesNotExistError,
  TopicDoesNotExistError,
} from '@msgport/core';
import { expect } from 'vitest';
import { type CaseContext, defineCase } from '../support/context.js';
import { expectError } from '../support/errors.js';
import { needs } from '../support/gates.js';
import { uniqueBody, uniqueName } from '../support/names.js';
import { expectNone, receiveOne } from '../support/receive.js';
import { newQueue, newQueueOfKind, sendOptions } from '../support/resources.js';
import { sleep, tick, track } from '../support/timing.js';

/** K. Errors and bad input: missing resources, closed brokers, aborts, error shape, validation before I/O. */
export function errorCases(ctx: CaseContext): void {
  /** Settles `promise` within `ms` of real time or reports that it hung. */
  const within = <T>(promise: Promise<T>, ms: number) =>
    Promise.race([
      promise.then(
        (value) => ({ state: 'resolved' as const, value }),
        (error: unknown) => ({ state: 'rejected' as const, error }),
      ),
      sleep(ms).then(() => ({ state: 'hung' as const })),
    ]);

  defineCase(
    ctx,
    'K69a',
    'a missing queue: a handle opens without I/O; every operation fails fast with QueueDoesNotExist',
    async () => {
      const name = uniqueName('k69a', ctx.queueKind);
      const q = ctx.broker.queue(name);
      const existing = await newQueue(ctx, 'k69a-other');
      await expectError(q.send('x', sendOptions(q)), 'QueueDoesNotExist');
      await expectError(q.sendBatch([{ id: 'a', body: 'x', ...sendOptions(q) }]), 'QueueDoesNotExist');
      await expectError(q.receive({ waitTimeSeconds: 0 }), 'QueueDoesNotExist');
      const longPoll = await within(q.receive({ waitTimeSeconds: 20 }), 3000 + ctx.granularityMs);
      expect(longPoll.state, 'a long poll on a missing queue must fail fast').toBe('rejected');
      if (longPoll.state === 'rejected') expect((longPoll.error as MsgportError).code).toBe('QueueDoesNotExist');
      await expectError(q.delete('not-a-receipt'), 'QueueDoesNotExist');
      await expectError(q.changeVisibility('not-a-receipt', 0), 'QueueDoesNotExist');
      await expectError(q.getAttributes(), 'QueueDoesNotExist');
      await expectError(q.config(), 'QueueDoesNotExist');
      if (ctx.caps.purge) await expectError(q.purge(), 'QueueDoesNotExist');
      await expectError(q.redrive({ to: existing.name }), 'QueueDoesNotExist');
      await expectError(existing.redrive({ to: name }), 'QueueDoesNotExist');
      await expectError(ctx.broker.deleteQueue(name), 'QueueDoesNotExist');
      expect(await ctx.broker.listQueues(name)).toEqual([]);
    },
  );

  defineCase(
    ctx,
    'K69b',
    'a missing topic: publish, publishBatch, subscribe and listSubscriptions fail with TopicDoesNotExist',
    async () => {
      const name = uniqueName('k69b');
      const topic = ctx.broker.topic(name);
      const queue = await newQueueOfKind(ctx, 'standard', 'k69b');
      await expectError(topic.publish('x'), 'TopicDoesNotExist');
      await expectError(topic.publishBatch([{ id: 'a', body: 'x' }]), 'TopicDoesNotExist');
      await expectError(topic.subscribe(queue.name), 'TopicDoesNotExist');
      await expectError(topic.listSubscriptions(), 'TopicDoesNotExist');
      expect(await ctx.broker.listTopics(name)).toEqual([]);
      await expectNone(ctx, queue);
    },
    needs(ctx, 'topics'),
  );

  defineCase(ctx, 'K69c', 'a deleted queue behaves as missing: QueueDoesNotExist, not a silent re-create', async () => {
    const q = await newQueue(ctx, 'k69c');
    await q.send(uniqueBody('k69c'), sendOptions(q));
    await ctx.broker.deleteQueue(q.name);
    await expectError(q.send(uniqueBody('k69c'), sendOptions(q)), 'QueueDoesNotExist');
    await expectError(q.receive({ waitTimeSeconds: 0 }), 'QueueDoesNotExist');
    await expectError(q.getAttributes(), 'QueueDoesNotExist');
    expect(await ctx.broker.listQueues(q.name)).toEqual([]);
  });

  defineCase(ctx, 'K67a', 'a closed broker: every operation fails with Closed; closing twice is harmless', async () => {
    const other: Broker = await ctx.connectAnother();
    const q = await other.createQueue(
      uniqueName('k67a', ctx.queueKind),
      ctx.fifoRun ? { fifo: true, contentBasedDeduplication: true } : {},
    );
    await other.close();
    expect(other.closed).toBe(true);
    await other.close();
    const errors = [
      await expectError(q.send('x', sendOptions(q)), 'Closed'),
      await expectError(q.sendBatch([{ id: 'a', body: 'x', ...sendOptions(q) }]), 'Closed'),
      await expectError(q.receive({ waitTimeSeconds: 0 }), 'Closed'),
      await expectError(q.delete('receipt'), 'Closed'),
      await expectError(q.changeVisibility('receipt', 0), 'Closed'),
      await expectError(q.getAttributes(), 'Closed'),
      await expectError(q.purge(), 'Closed'),
      await expectError(other.createQueue(uniqueName('k67a')), 'Closed'),
      await expectError(other.createTopic(uniqueName('k67a')), 'Closed'),
      await expectError(other.listQueues(), 'Closed'),
      await expectError(other.queue(q.name).receive({ waitTimeSeconds: 0 }), 'Closed'),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(ClosedError);
      expect(error.retryable).toBe(false);
      expect(error.transport).toBe(other.transport);
    }
  });

  defineCase(ctx, 'K67b', 'an already-aborted signal rejects with Aborted and consumes nothing', async () => {
    const q = await newQueue(ctx, 'k67b');
    const target = await newQueue(ctx, 'k67b-to');
    const body = uniqueBody('k67b');
    await q.send(body, sendOptions(q));
    const reason = new Error('stop');
    const error = await expectError(q.receive({ signal: AbortSignal.abort(reason), waitTimeSeconds: 0 }), 'Aborted');
    expect(error).toBeInstanceOf(AbortedError);
    await expectError(q.redrive({ to: target.name, signal: AbortSignal.abort() }), 'Aborted');
    const m = await receiveOne(ctx, q);
    expect(m.body).toBe(body);
    expect(m.receiveCount).toBe(1);
  });

  defineCase(
    ctx,
    'K67c',
    'aborting an in-flight long poll rejects with Aborted promptly; no message is swallowed',
    async () => {
      const q = await newQueue(ctx, 'k67c');
      const controller = new AbortController();
      const poll = track(q.receive({ waitTimeSeconds: 20, signal: controller.signal }));
      await (ctx.clock ? tick() : sleep(200));
      expect(poll.settled()).toBe(false);
      const abortedAt = Date.now();
      controller.abort(new Error('shutting down'));
      const outcome = await within(poll.promise, 1000 + ctx.granularityMs);
      expect(outcome.state, 'the aborted long poll did not end').toBe('rejected');
      if (outcome.state === 'rejected') {
        expect(outcome.error).toBeInstanceOf(AbortedError);
        expect((outcome.error as MsgportError).code).toBe('Aborted');
      }
      expect(Date.now() - abortedAt).toBeLessThan(1000 + ctx.granularityMs);
      const body = uniqueBody('k67c');
      await q.send(body, sendOptions(q));
      const m = await receiveOne(ctx, q);
      expect(m.body).toBe(body);
      // SQS keeps an aborted long poll open server-side and may deliver into it; the transport then
      // makes the message visible at once, so it is not swallowed, but that receive was counted.
      expect(m.receiveCount).toBeLessThanOrEqual(2);
    },
    needs(ctx, 'longPolling'),
  );

  defineCase(
    ctx,
    'K67d',
    'closing the broker ends a pending long poll promptly (Closed, or an empty result)',
    async () => {
      const other = await ctx.connectAnother();
      const q = await other.createQueue(uniqueName('k67d'));
      const poll = track(q.receive({ waitTimeSeconds: 20 }));
      await (ctx.clock ? tick() : sleep(200));
      expect(poll.settled()).toBe(false);
      await other.close();
      const outcome = await within(poll.promise, 2000 + ctx.granularityMs);
      expect(outcome.state, 'the long poll hung after close').not.toBe('hung');
      if (outcome.state === 'rejected') expect((outcome.error as MsgportError).code).toBe('Closed');
      if (outcome.state === 'resolved') expect(outcome.value).toEqual([]);
    },
    needs(ctx, 'longPolling'),
  );

  defineCase(ctx, 'K71', 'errors carry a stable code, the right class, retryable and the transport name', async () => {
    const transport = ctx.broker.transport;
    expect(transport).toMatch(/\S/);
    const missing = ctx.broker.queue(uniqueName('k71-missing'));
    const q = await newQueue(ctx, 'k71');
    const checks: Array<[MsgportError, new (...args: never[]) => MsgportError]> = [
      [await expectError(missing.receive({ waitTimeSeconds: 0 }), 'QueueDoesNotExist'), QueueDoesNotExistError],
      [await expectError(missing.send('x'), 'QueueDoesNotExist'), QueueDoesNotExistError],
      [await expectError(q.receive({ signal: AbortSignal.abort(), waitTimeSeconds: 0 }), 'Aborted'), AbortedError],
    ];
    if (ctx.caps.topics) {
      checks.push([
        await expectError(ctx.broker.topic(uniqueName('k71')).publish('x'), 'TopicDoesNotExist'),
        TopicDoesNotExistError,
      ]);
    }
    if (ctx.caps.purge) {
      await q.purge();
      checks.push([await expectError(q.purge(), 'PurgeInProgress'), PurgeInProgressError]);
    }
    if (ctx.caps.longPolling) {
      const controller = new AbortController();
      const poll = q.receive({ waitTimeSeconds: 20, signal: controller.signal });
      await (ctx.clock ? tick() : sleep(200));
      controller.abort();
      checks.push([await expectError(poll, 'Aborted'), AbortedError]);
    }
    // Collected rather than asserted one by one, so the report lists every error without a transport.
    const withoutTransport: string[] = [];
    for (const [error, kind] of checks) {
      expect(error).toBeInstanceOf(kind);
      expect(error.name).toBe(kind.name);
      expect(error.retryable, `${error.code} is not retryable`).toBe(false);
      if (error.transport !== transport)
        withoutTransport.push(`${error.code} ("${error.message}"): ${error.transport}`);
    }
    expect(withoutTransport, `errors whose transport is not "${transport}"`).toEqual([]);
    const invalid = await expectError(q.receive({ maxMessages: 11 }), 'InvalidParameter');
    expect(invalid).toBeInstanceOf(InvalidParameterError);
    expect(invalid.retryable).toBe(false);
    expect([undefined, transport]).toContain(invalid.transport);
  });

  defineCase(
    ctx,
    'K73a',
    'receive ranges: maxMessages 1–10, waitTimeSeconds 0–20 (whole); violations consume nothing',
    async () => {
      const q = await newQueue(ctx, 'k73a');
      await q.send(uniqueBody('k73a'), sendOptions(q));
      const bad = [
        { maxMessages: 0 },
        { maxMessages: 11 },
        { maxMessages: 1.5 },
        { maxMessages: -1 },
        { waitTimeSeconds: -1 },
        { waitTimeSeconds: 21 },
        { waitTimeSeconds: 0.5 },
        { visibilityTimeoutSeconds: -1 },
        { visibilityTimeoutSeconds: 43_201 },
      ];
      for (const options of bad) await expectError(q.receive(options), 'InvalidParameter');
      expect((await receiveOne(ctx, q)).receiveCount).toBe(1);
    },
  );

  defineCase(
    ctx,
    'K73b',
    'validation happens before any I/O: bad arguments on a missing queue are InvalidParameter',
    async () => {
      const name = uniqueName('k73b', ctx.queueKind);
      const missing = ctx.broker.queue(name);
      await expectError(missing.receive({ maxMessages: 11 }), 'InvalidParameter');
      await expectError(missing.receive({ waitTimeSeconds: 21 }), 'InvalidParameter');
      await expectError(missing.changeVisibility('receipt', 43_201), 'InvalidParameter');
      await expectError(missing.delete(''), 'ReceiptHandleIsInvalid');
      await expectError(missing.changeVisibility('', 0), 'ReceiptHandleIsInvalid');
      await expectError(missing.deleteBatch([]), 'EmptyBatchRequest');
      await expectError(
        missing.deleteBatch([
          { id: 'a', receiptHandle: 'r1' },
          { id: 'a', receiptHandle: 'r2' },
        ]),
        'BatchEntryIdsNotDistinct',
      );
      const badOptions = [
        { visibilityTimeoutSeconds: 43_201 },
        { visibilityTimeoutSeconds: -1 },
        { delaySeconds: 901 },
        { maxMessageBytes: 1023 },
        { maxMessageBytes: 1_048_577 },
        { receiveWaitTimeSeconds: 21 },
        { retentionSeconds: 59 },
      ];
      for (const options of badOptions) {
        await expectError(ctx.broker.createQueue(name, options), 'InvalidParameter');
      }
      await expectError(() => ctx.broker.queue('bad name'), 'InvalidParameter');
      await expectError(ctx.broker.deleteQueue('bad name'), 'InvalidParameter');
      expect(await ctx.broker.listQueues(name)).toEqual([]);
    },
  );

  defineCase(ctx, 'K74', 'capabilities are declared and enforced when a resource is created', async () => {
    const caps = ctx.caps;
    expect(ctx.broker.capabilities).toEqual(caps);
    const fifoName = uniqueName('k74', 'fifo');
    if (caps.fifo) ctx.track('queue', fifoName);
    const fifoQueue = ctx.broker.createQueue(fifoName, { fifo: true, contentBasedDeduplication: true });
    if (caps.fifo) await fifoQueue;
    else await expectError(fifoQueue, 'UnsupportedCapability');
    const topicName = uniqueName('k74');
    if (caps.topics) ctx.track('topic', topicName);
    const topic = ctx.broker.createTopic(topicName);
    if (caps.topics) await topic;
    else await expectError(topic, 'UnsupportedCapability');
    if (caps.topics) {
      const fifoTopicName = uniqueName('k74', 'fifo');
      if (caps.fifoTopics) ctx.track('topic', fifoTopicName);
      const fifoTopic = ctx.broker.createTopic(fifoTopicName);
      if (caps.fifoTopics) await fifoTopic;
      else await expectError(fifoTopic, 'UnsupportedCapability');
    }
    const dlq = await newQueueOfKind(ctx, 'standard', 'k74-dlq');
    const withDlq = newQueueOfKind(ctx, 'standard', 'k74-src', { deadLetter: { queue: dlq.name, maxReceiveCount: 2 } });
    if (caps.deadLetter) await withDlq;
    else await expectError(withDlq, 'UnsupportedCapability');
    const delayed = newQueueOfKind(ctx, 'standard', 'k74-delay', { delaySeconds: 900 });
    if (caps.delay && caps.maxDelaySeconds >= 900) await delayed;
    else await expectError(delayed, 'UnsupportedCapability');
  });

  defineCase(ctx, 'K75', 'malformed receipt handles are ReceiptHandleIsInvalid; nothing is deleted', async () => {
    const q = await newQueue(ctx, 'k75', { visibilityTimeoutSeconds: 30 });
    await q.send(uniqueBody('k75'), sendOptions(q));
    const m = await receiveOne(ctx, q);
    for (const handle of ['', 'x'.repeat(1025)]) {
      await expectError(q.delete(handle), 'ReceiptHandleIsInvalid');
      await expectError(q.changeVisibility(handle, 0), 'ReceiptHandleIsInvalid');
    }
    await expectError(q.delete(undefined as unknown as string), 'ReceiptHandleIsInvalid');
    await q.changeVisibility(m, 0);
    const again = await receiveOne(ctx, q);
    expect(again.messageId).toBe(m.messageId);
    expect(again.receiveCount).toBe(2);
  });

  defineCase(
    ctx,
    'K76',
    'an unknown queue attribute is InvalidAttributeName (as SQS), named in the message; nothing is created',
    async () => {
      const name = uniqueName('k76');
      for (const unknown of [{ visibilityTimeout: 30 }, { FifoQueue: 'true' }, { maxReceiveCount: 3 }]) {
        const error = await expectError(ctx.broker.createQueue(name, unknown as never), 'InvalidAttributeName');
        expect(error.message).toContain(Object.keys(unknown)[0]);
      }
      await expectError(ctx.broker.queue(name).getAttributes(), 'QueueDoesNotExist');
    },
  );
}
