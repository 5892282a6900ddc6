import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import { type Broker, connect, consume, consumeMessages, type Queue } from '@msgport/core';
import '@msgport/memory';
import '@msgport/redis';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

/**
 * OpenTelemetry across topic → queue → consumer with the real SDK and its in-memory exporter, on
 * the reference transport and on Redis: spans named and attributed per the messaging semantic
 * conventions, and the producer's context carried in a message attribute through raw and
 * enveloped topic deliveries to the consumer's process span.
 */

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

async function redisAnswers(): Promise<boolean> {
  const url = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(Number(url.port || 6379), url.hostname || '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

const redisUp = await redisAnswers();
if (IN_CI && !redisUp) throw new Error(`CI=true but no Redis answers at ${REDIS_URL}`);

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
});

afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
});

beforeEach(() => exporter.reset());

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) expect.fail(`timed out waiting until ${what}`);
    await sleep(10);
  }
}

const spansNamed = (name: string): ReadableSpan[] => exporter.getFinishedSpans().filter((span) => span.name === name);

function only(name: string): ReadableSpan {
  const spans = spansNamed(name);
  expect(spans.map((span) => span.name)).toEqual([name]);
  return spans[0] as ReadableSpan;
}

const transports: readonly { name: string; system: string; url: () => string; skip: boolean }[] = [
  { name: 'memory', system: 'memory', url: () => 'memory://', skip: false },
  {
    name: 'redis',
    system: 'redis',
    url: () => `${REDIS_URL}?prefix=${encodeURIComponent(`msgport-test:tracing:${randomBytes(4).toString('hex')}:`)}`,
    skip: !redisUp,
  },
];

describe.each(transports)('OpenTelemetry on $name', ({ system, url, skip }) => {
  let broker: Broker;
  const created: { queues: string[]; topics: string[] } = { queues: [], topics: [] };
  const names = (tag: string) => `trace-${tag}-${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    if (!skip) broker = await connect(url(), { logger: false });
  });

  afterAll(async () => {
    if (skip) return;
    await Promise.allSettled([
      ...created.queues.map((name) => broker.deleteQueue(name)),
      ...created.topics.map((name) => broker.deleteTopic(name)),
    ]);
    await broker.close();
  });

  const newQueue = async (tag: string, options: { unwrapEnvelopes?: boolean } = {}): Promise<Queue> => {
    const name = names(tag);
    created.queues.push(name);
    return broker.createQueue(name, { visibilityTimeoutSeconds: 30, ...options });
  };

  it.skipIf(skip).each([
    ['raw', true, false],
    ['envelope, unwrapped', false, true],
    ['envelope, not unwrapped', false, false],
  ] as const)(
    'topic → queue (%s) → consumer: publish, receive and process spans, linked to the producer',
    async (_kind, raw, unwrap) => {
      const topicName = names('topic');
      created.topics.push(topicName);
      const topic = await broker.createTopic(topicName);
      const queue = await newQueue('sub', { unwrapEnvelopes: unwrap });
      await topic.subscribe(queue, { rawMessageDelivery: raw });

      const tracer = trace.getTracer('test');
      const published = await tracer.startActiveSpan('checkout', async (span) => {
        try {
          return await topic.publish('order-1', { attributes: { tenant: 'a' } });
        } finally {
          span.end();
        }
      });
      const handlerSpans: string[] = [];
      const consumer = await consume(
        queue,
        async () => {
          tracer.startActiveSpan('charge card', (span) => {
            handlerSpans.push(span.spanContext().spanId);
            span.end();
          });
        },
        { waitTimeSeconds: 1, functionTimeoutSeconds: 5, logger: false },
      );
      await until('the message was handled', () => handlerSpans.length === 1);
      await consumer.stop();

      const checkout = only('checkout');
      const publish = only(`publish ${topicName}`);
      expect(publish.kind).toBe(SpanKind.PRODUCER);
      expect(publish.parentSpanContext?.spanId).toBe(checkout.spanContext().spanId);
      expect(publish.attributes).toMatchObject({
        'messaging.system': system,
        'messaging.destination.name': topicName,
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'publish',
        'messaging.message.id': published.messageId,
      });

      const process = only(`process ${queue.name}`);
      expect(process.kind).toBe(SpanKind.CONSUMER);
      expect(process.attributes).toMatchObject({
        'messaging.system': system,
        'messaging.destination.name': queue.name,
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.batch.message_count': 1,
      });
      expect(process.links.map((link) => link.context.spanId)).toEqual([publish.spanContext().spanId]);
      // One message: the producer's context is also the parent, so the whole flow is one trace.
      expect(process.spanContext().traceId).toBe(checkout.spanContext().traceId);
      expect(process.parentSpanContext?.spanId).toBe(publish.spanContext().spanId);
      expect(only('charge card').parentSpanContext?.spanId).toBe(process.spanContext().spanId);

      const receives = spansNamed(`receive ${queue.name}`).filter(
        (span) => span.attributes['messaging.batch.message_count'] === 1,
      );
      expect(receives).toHaveLength(1);
      expect(receives[0]?.kind).toBe(SpanKind.CLIENT);
      expect(receives[0]?.attributes['messaging.operation.type']).toBe('receive');
      expect(receives[0]?.links.map((link) => link.context.spanId)).toEqual([publish.spanContext().spanId]);
      // The consumer's own receives start traces of their own, not children of whoever called consume().
      expect(receives[0]?.parentSpanContext).toBeUndefined();
    },
  );

  it.skipIf(skip)(
    'a batch send is one send span; the batch it becomes is processed with a link per message',
    async () => {
      const queue = await newQueue('batch');
      const result = await trace.getTracer('test').startActiveSpan('import', async (span) => {
        try {
          return await queue.sendBatch(['a', 'b', 'c'].map((body, i) => ({ id: `m${i}`, body })));
        } finally {
          span.end();
        }
      });
      expect(result.failed).toEqual([]);
      const send = only(`send ${queue.name}`);
      expect(send.kind).toBe(SpanKind.PRODUCER);
      expect(send.attributes).toMatchObject({
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'send',
        'messaging.batch.message_count': 3,
      });
      let handled = 0;
      const consumer = await consumeMessages(
        queue,
        async () => {
          handled++;
        },
        { waitTimeSeconds: 1, functionTimeoutSeconds: 5, logger: false },
      );
      await until('all three were handled', () => handled === 3);
      await consumer.stop();
      // Per-message handlers get a process span each, a child of the producer's send span.
      const processes = spansNamed(`process ${queue.name}`);
      expect(processes).toHaveLength(3);
      for (const process of processes) {
        expect(process.parentSpanContext?.spanId).toBe(send.spanContext().spanId);
        expect(process.attributes['messaging.message.id']).toEqual(expect.any(String));
      }
    },
  );

  it.skipIf(skip)(
    'the context rides in a traceparent attribute only where it fits: never an 11th attribute',
    async () => {
      const queue = await newQueue('fit');
      const ten = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, `v${i}`]));
      const nine = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`a${i}`, `v${i}`]));
      await trace.getTracer('test').startActiveSpan('sender', async (span) => {
        await queue.send('full', { attributes: ten });
        await queue.send('room', { attributes: nine });
        span.end();
      });
      const received = [];
      while (received.length < 2) received.push(...(await queue.receive({ maxMessages: 10, waitTimeSeconds: 1 })));
      const byBody = Object.fromEntries(received.map((message) => [message.rawBody, message.attributes]));
      expect(Object.keys(byBody.full ?? {}).sort()).toEqual(Object.keys(ten).sort());
      expect(byBody.room?.traceparent?.stringValue).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    },
  );
});
