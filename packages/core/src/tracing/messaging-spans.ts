import { isMsgportError } from '../errors.js';
import type { MessageAttributes } from '../message-attributes.js';
import { type OtelApi, otelApi, tracingApi } from './otel-api.js';
import { creationContext } from './trace-context.js';

/**
 * Spans per the OpenTelemetry messaging semantic conventions: `send <queue>` / `publish <topic>`
 * (PRODUCER, its context injected as the messages' creation context), `receive <queue>` (CLIENT),
 * `process <queue>` (CONSUMER), each with `messaging.system`, `messaging.destination.name`,
 * `messaging.operation.type` and `.name`, `messaging.batch.message_count` for batches and
 * `messaging.message.id` for single messages. Receive and process spans link to every message's
 * creation context; a process span for one message also takes it as its parent.
 */

export interface Destination {
  readonly name: string;
  readonly transport: string;
  readonly kind: 'queue' | 'topic';
}

interface TracedMessage {
  readonly messageId: string;
  readonly attributes: MessageAttributes;
  readonly rawBody: string;
}

const TRACER_NAME = '@msgport/core';

let tracerOf: { api: typeof OtelApi; tracer: OtelApi.Tracer } | undefined;

/** One tracer for msgport; the API's proxy picks up a provider registered later by itself. */
function tracer(api: typeof OtelApi): OtelApi.Tracer {
  if (tracerOf?.api !== api) tracerOf = { api, tracer: api.trace.getTracer(TRACER_NAME) };
  return tracerOf.tracer;
}

/** Runs `fn` outside any ambient trace: the consumer's own loops start traces of their own. */
export function runDetached<R>(fn: () => R): R {
  const api = otelApi();
  return api ? api.context.with(api.ROOT_CONTEXT, fn) : fn();
}

/** The well-known `messaging.system` values where one applies; the transport's name otherwise. */
export function messagingSystem(destination: Destination): string {
  if (destination.transport === 'sqs') return destination.kind === 'topic' ? 'aws.sns' : 'aws_sqs';
  return destination.transport;
}

function attributesFor(
  destination: Destination,
  operationType: 'send' | 'receive' | 'process',
  operationName: string,
): OtelApi.Attributes {
  return {
    'messaging.system': messagingSystem(destination),
    'messaging.destination.name': destination.name,
    'messaging.operation.type': operationType,
    'messaging.operation.name': operationName,
  };
}

/** A span worth feeding: recording, or sampled out but carrying a context to pass on. */
function live(api: typeof OtelApi, span: OtelApi.Span): boolean {
  return span.isRecording() || api.trace.isSpanContextValid(span.spanContext());
}

function fail(api: typeof OtelApi, span: OtelApi.Span, error: unknown): void {
  const type = isMsgportError(error) ? error.code : error instanceof Error ? error.name : '_OTHER';
  span.setAttribute('error.type', type);
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: api.SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

function countMessages(span: OtelApi.Span, messages: readonly TracedMessage[]): void {
  span.setAttribute('messaging.batch.message_count', messages.length);
  if (messages.length === 1) span.setAttribute('messaging.message.id', (messages[0] as TracedMessage).messageId);
}

function linksTo(api: typeof OtelApi, messages: readonly TracedMessage[]): OtelApi.Link[] {
  const links: OtelApi.Link[] = [];
  for (const message of messages) {
    const context = creationContext(api, message);
    const spanContext = context && api.trace.getSpanContext(context);
    if (spanContext) links.push({ context: spanContext });
  }
  return links;
}

/** Runs a send or publish of `count` messages inside its PRODUCER span. */
export function traceSend<R>(
  destination: Destination,
  count: number,
  send: () => Promise<R>,
  messageIdOf: (result: R) => string | undefined,
): Promise<R> {
  const api = tracingApi();
  return api ? sendInSpan(api, destination, count, send, messageIdOf) : send();
}

async function sendInSpan<R>(
  api: typeof OtelApi,
  destination: Destination,
  count: number,
  send: () => Promise<R>,
  messageIdOf: (result: R) => string | undefined,
): Promise<R> {
  const operation = destination.kind === 'topic' ? 'publish' : 'send';
  const span = tracer(api).startSpan(`${operation} ${destination.name}`, {
    kind: api.SpanKind.PRODUCER,
    attributes: attributesFor(destination, 'send', operation),
  });
  if (!live(api, span)) {
    span.end();
    return send();
  }
  if (count !== 1) span.setAttribute('messaging.batch.message_count', count);
  try {
    const result = await api.context.with(api.trace.setSpan(api.context.active(), span), send);
    const id = count === 1 ? messageIdOf(result) : undefined;
    if (id !== undefined) span.setAttribute('messaging.message.id', id);
    return result;
  } catch (error) {
    fail(api, span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Runs a receive inside its CLIENT span, linked to the creation context of what it returns. */
export function traceReceive<M extends TracedMessage>(
  destination: Destination,
  receive: () => Promise<M[]>,
): Promise<M[]> {
  const api = tracingApi();
  return api ? receiveInSpan(api, destination, receive) : receive();
}

async function receiveInSpan<M extends TracedMessage>(
  api: typeof OtelApi,
  destination: Destination,
  receive: () => Promise<M[]>,
): Promise<M[]> {
  const span = tracer(api).startSpan(`receive ${destination.name}`, {
    kind: api.SpanKind.CLIENT,
    attributes: attributesFor(destination, 'receive', 'receive'),
  });
  if (!span.isRecording()) {
    span.end();
    return receive();
  }
  try {
    const messages = await receive();
    countMessages(span, messages);
    span.addLinks(linksTo(api, messages));
    return messages;
  } catch (error) {
    fail(api, span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** A started `process` span: `run` makes it the active context, `end` closes it once. */
export interface ProcessSpan {
  run<R>(fn: () => R): R;
  end(error?: unknown): void;
}

/**
 * Starts the CONSUMER span of handing `messages` to a handler, or nothing when no tracer records.
 * With one message, the producer's context is its parent (documented in docs/consumer.md).
 */
export function startProcessSpan(
  destination: Destination,
  messages: readonly TracedMessage[],
): ProcessSpan | undefined {
  const api = tracingApi();
  if (!api) return undefined;
  const single = messages.length === 1 ? creationContext(api, messages[0] as TracedMessage) : undefined;
  const span = tracer(api).startSpan(
    `process ${destination.name}`,
    {
      kind: api.SpanKind.CONSUMER,
      attributes: attributesFor(destination, 'process', 'process'),
      links: linksFromContext(api, single),
    },
    single ?? api.ROOT_CONTEXT,
  );
  if (!span.isRecording()) {
    span.end();
    return undefined;
  }
  countMessages(span, messages);
  // Batches link to every message's creation context; read only once a tracer records.
  if (messages.length > 1) span.addLinks(linksTo(api, messages));
  const context = api.trace.setSpan(api.ROOT_CONTEXT, span);
  let ended = false;
  return {
    run: (fn) => api.context.with(context, fn),
    end: (error) => {
      if (ended) return;
      ended = true;
      if (error !== undefined) fail(api, span, error);
      span.end();
    },
  };
}

/**
 * Runs `handle` inside a process span that ends when it settles, or when the invocation is aborted
 * (a timeout or a forced stop), whichever comes first. `failureOf` says whether a result is a failure.
 */
export function traceProcess<R>(
  destination: Destination,
  messages: readonly TracedMessage[],
  abortSignal: () => AbortSignal,
  handle: () => Promise<R>,
  failureOf?: (result: R) => unknown,
): Promise<R> {
  const span = startProcessSpan(destination, messages);
  return span ? processInSpan(span, abortSignal, handle, failureOf) : handle();
}

async function processInSpan<R>(
  span: ProcessSpan,
  abortSignal: () => AbortSignal,
  handle: () => Promise<R>,
  failureOf?: (result: R) => unknown,
): Promise<R> {
  const signal = abortSignal();
  signal.addEventListener('abort', () => span.end(signal.reason), { once: true });
  try {
    const result = await span.run(handle);
    span.end(failureOf?.(result));
    return result;
  } catch (error) {
    span.end(error);
    throw error;
  }
}

function linksFromContext(api: typeof OtelApi, context: OtelApi.Context | undefined): OtelApi.Link[] {
  const spanContext = context && api.trace.getSpanContext(context);
  return spanContext ? [{ context: spanContext }] : [];
}
