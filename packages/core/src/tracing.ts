import { type Context, context, propagation, ROOT_CONTEXT, type TextMapGetter, trace } from '@opentelemetry/api';
import { LIMITS } from './limits.js';
import type { MessageAttributes, MessageAttributesInput } from './message-attributes.js';

/**
 * OpenTelemetry context travels in message attributes (W3C `traceparent`/`tracestate`) through
 * `@opentelemetry/api` only: without a registered SDK every call here is a no-op.
 */
export function injectTraceContext(attributes: MessageAttributesInput | undefined): MessageAttributesInput | undefined {
  if (!trace.getActiveSpan()) return attributes;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const names = Object.keys(carrier).filter((name) => attributes?.[name] === undefined);
  if (names.length === 0 || Object.keys(attributes ?? {}).length + names.length > LIMITS.attributesMax)
    return attributes;
  return { ...attributes, ...Object.fromEntries(names.map((name) => [name, carrier[name] as string])) };
}

const attributeGetter: TextMapGetter<MessageAttributes> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key]?.stringValue,
};

export function extractTraceContext(attributes: MessageAttributes): Context {
  return propagation.extract(ROOT_CONTEXT, attributes, attributeGetter);
}

export function runInTraceContext<T>(attributes: MessageAttributes | undefined, fn: () => T): T {
  return attributes ? context.with(extractTraceContext(attributes), fn) : fn();
}
