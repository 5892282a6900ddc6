import type { Message, Options } from 'amqplib';
import { decodeMessage, HEADER } from './message-codec.js';
import type { Publisher } from './publisher.js';

/** Headers the broker sets on every delivery; a copy must not carry them back. */
const BROKER_COUNT_HEADERS = ['x-delivery-count', 'x-acquired-count'] as const;

/**
 * The copy of a delivery that was prefetched but never handed to anyone, so that it goes back to
 * the queue without counting as a receive: a reject would make the broker count one. The copy keeps
 * the message id, body, attributes and timestamps, and carries the receives so far in `x-mq-prior`
 * (the broker starts counting the copy from zero).
 */
export function unservedCopy(raw: Message, brokerQueue: string): { content: Buffer; options: Options.Publish } {
  const headers: Record<string, unknown> = { ...(raw.properties.headers ?? {}) };
  for (const name of BROKER_COUNT_HEADERS) delete headers[name];
  const prior = decodeMessage(raw, brokerQueue).priorDeliveries;
  if (prior > 0) headers[HEADER.priorReceives] = prior;
  else delete headers[HEADER.priorReceives];
  const { properties } = raw;
  const options: Options.Publish = { headers, mandatory: true };
  // `userId` is left out: the broker refuses a user id other than the publishing connection's.
  if (properties.messageId !== undefined) options.messageId = properties.messageId;
  if (properties.contentType !== undefined) options.contentType = properties.contentType;
  if (properties.contentEncoding !== undefined) options.contentEncoding = properties.contentEncoding;
  if (properties.deliveryMode !== undefined) options.deliveryMode = properties.deliveryMode;
  if (properties.priority !== undefined) options.priority = properties.priority;
  if (properties.correlationId !== undefined) options.correlationId = properties.correlationId;
  if (properties.replyTo !== undefined) options.replyTo = properties.replyTo;
  if (properties.expiration !== undefined) options.expiration = properties.expiration;
  if (properties.timestamp !== undefined) options.timestamp = properties.timestamp;
  if (properties.type !== undefined) options.type = properties.type;
  if (properties.appId !== undefined) options.appId = properties.appId;
  return { content: raw.content, options };
}

/**
 * Puts an unserved delivery's copy back on its queue and waits for the confirm. `true`: the copy is
 * stored, so the caller acks the original; `false` (not confirmed, or the queue is gone): the caller
 * rejects it instead (the broker then counts one receive too many, which is all that is left to do).
 */
export async function returnUnserved(publisher: Publisher, raw: Message, brokerQueue: string): Promise<boolean> {
  const { content, options } = unservedCopy(raw, brokerQueue);
  // A message without an id cannot be matched to a basic.return: it goes back by reject instead.
  if (typeof options.messageId !== 'string' || options.messageId === '') return false;
  try {
    return (await publisher.publish({ exchange: '', routingKey: brokerQueue, content, options })) === 'confirmed';
  } catch {
    return false;
  }
}
