import { LIMITS } from '../limits.js';
import type { MessageAttributes, MessageAttributeValue } from '../message-attributes.js';
import { unwrapSnsEnvelope } from '../sns-envelope.js';
import { type OtelApi, otelApi } from './otel-api.js';

/**
 * The message creation context (OpenTelemetry messaging conventions) travels in message
 * attributes: `traceparent` (W3C Trace Context), then `tracestate`/`baggage` when set — whatever
 * the registered propagator writes. Attributes survive every hop msgport makes (queue, topic → queue
 * raw or in an SNS envelope), so the context does too. It is added only where it fits: a message
 * the sender already gave a `traceparent` keeps it (a custom creation context), and one with 10
 * attributes or at its size limit is sent without it rather than rejected.
 */

/** A propagation field as a message attribute: `traceparent`, `tracestate`, `baggage`. */
export type TraceEntry = readonly [string, MessageAttributeValue];
type Entry = TraceEntry;
const NO_ENTRIES: readonly Entry[] = Object.freeze([]);

let cachedContext: OtelApi.Context | undefined;
let cachedEntries: readonly Entry[] = [];

/** The active context's propagation fields, `traceparent` first; one inject per context, not per message. */
function activeContextEntries(api: typeof OtelApi): readonly Entry[] {
  const active = api.context.active();
  if (active === cachedContext) return cachedEntries;
  const span = api.trace.getSpan(active);
  let entries: readonly Entry[] = NO_ENTRIES;
  if (span && api.trace.isSpanContextValid(span.spanContext())) {
    const carrier: Record<string, string> = {};
    api.propagation.inject(active, carrier);
    entries = Object.entries(carrier)
      .filter(([, value]) => typeof value === 'string' && value.length > 0)
      .sort(([a], [b]) => (a === 'traceparent' ? -1 : b === 'traceparent' ? 1 : 0))
      .map(([name, value]) => [name, { dataType: 'String', stringValue: value }] as const);
  }
  cachedContext = active;
  cachedEntries = entries;
  return entries;
}

/**
 * The active context's propagation fields: read once for a batch, since every entry of a batch is
 * prepared in the same context. None without OpenTelemetry or without a valid span.
 */
export function activeTraceEntries(): readonly TraceEntry[] {
  const api = otelApi();
  return api ? activeContextEntries(api) : NO_ENTRIES;
}

/**
 * `attributes` plus the active trace context (or the given `entries` of it), as far as 10
 * attributes and `roomBytes` allow.
 */
export function withTraceContext(
  attributes: MessageAttributes,
  roomBytes: number,
  entries: readonly TraceEntry[] = activeTraceEntries(),
): MessageAttributes {
  if (entries.length === 0 || attributes.traceparent !== undefined) return attributes;
  let out: Record<string, MessageAttributeValue> | undefined;
  let count = Object.keys(attributes).length;
  let room = roomBytes;
  for (const [name, value] of entries) {
    if (attributes[name] !== undefined) continue;
    // Propagation fields are ASCII: characters are bytes.
    const size = name.length + value.dataType.length + (value.stringValue as string).length;
    if (count >= LIMITS.attributesMax || size > room) break;
    out ??= { ...attributes };
    out[name] = value;
    count++;
    room -= size;
  }
  return out ?? attributes;
}

const attributeGetter: OtelApi.TextMapGetter<MessageAttributes> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key]?.stringValue,
};

/**
 * The creation context a received message carries: in its attributes, or — for a topic delivery in
 * an SNS envelope that was not unwrapped — in the envelope's `MessageAttributes`.
 */
export function creationContext(
  api: typeof OtelApi,
  message: { readonly attributes: MessageAttributes; readonly rawBody: string },
): OtelApi.Context | undefined {
  let attributes = message.attributes;
  if (Object.keys(attributes).length === 0) {
    attributes = unwrapSnsEnvelope(message.rawBody)?.attributes ?? attributes;
  }
  const extracted = api.propagation.extract(api.ROOT_CONTEXT, attributes, attributeGetter);
  const spanContext = api.trace.getSpanContext(extracted);
  return spanContext && api.trace.isSpanContextValid(spanContext) ? extracted : undefined;
}
