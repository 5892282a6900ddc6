import type { MessageAttributes } from '../../message-attributes.js';
import { wrapSnsEnvelope } from '../../sns-envelope.js';
import { attributesSize } from '../../validation/attributes.js';
import type { DriverPublishEntry, DriverSubscription } from '../driver.js';
import { subscriptionFilter } from './subscription-filter.js';

/** What fan-out needs to know of a subscribed queue. */
export interface FanOutTarget {
  readonly fifo: boolean;
  /**
   * The queue's `maxMessageBytes`; a copy larger than this is dropped, as SNS drops a delivery the
   * queue refuses. Leave it out when the transport checks sizes where it stores (atomically).
   */
  readonly maxMessageBytes?: number;
}

/** One publish as the topic numbered it. */
export interface FanOutPublish {
  /** The MessageId the publish returned; each copy's envelope carries it. */
  readonly messageId: string;
  readonly topicArn: string;
  /** Epoch milliseconds: the envelope's Timestamp. */
  readonly timestamp: number;
  /** FIFO topics. */
  readonly sequenceNumber?: string;
  /** The subscribed queue by name; `undefined` when it was deleted (the copy is dropped, as on SNS). */
  target(queue: string): FanOutTarget | undefined;
}

/** One copy of a published message, for one subscription's queue. */
export interface FanOutDelivery {
  readonly subscription: DriverSubscription;
  readonly queue: string;
  /** Raw message delivery: the published body and attributes. Otherwise the SNS JSON envelope, no attributes. */
  readonly raw: boolean;
  readonly body: string;
  readonly attributes: MessageAttributes;
  readonly groupId?: string;
  /** FIFO queues: the publish's deduplication id, else its message id. */
  readonly deduplicationId?: string;
}

const NO_ATTRIBUTES: MessageAttributes = Object.freeze({});

/**
 * SNS fan-out to SQS subscriptions: every subscription whose filter policy matches gets one copy,
 * raw or in the SNS envelope (one envelope per publish, shared by every copy). A copy for a deleted
 * queue, or one larger than its queue accepts, is dropped. Transports store the copies their own way
 * (atomically, in one round trip, through an exchange …); the rules live here once.
 */
export function fanOut(
  entry: DriverPublishEntry,
  subscriptions: Iterable<DriverSubscription>,
  publish: FanOutPublish,
): FanOutDelivery[] {
  const deliveries: FanOutDelivery[] = [];
  const input = { attributes: entry.attributes, body: entry.body };
  let envelope: string | undefined;
  let envelopeBytes = -1;
  let rawBytes = -1;
  for (const subscription of subscriptions) {
    const matches = subscriptionFilter(subscription);
    if (matches && !matches(input)) continue;
    const target = publish.target(subscription.queue);
    if (!target) continue;
    const raw = subscription.rawMessageDelivery;
    let body = entry.body;
    if (!raw) {
      envelope ??= wrapSnsEnvelope({
        messageId: publish.messageId,
        topicArn: publish.topicArn,
        body: entry.body,
        attributes: entry.attributes,
        timestamp: publish.timestamp,
        ...(entry.subject !== undefined ? { subject: entry.subject } : {}),
        ...(publish.sequenceNumber !== undefined ? { sequenceNumber: publish.sequenceNumber } : {}),
      });
      body = envelope;
    }
    if (target.maxMessageBytes !== undefined) {
      if (raw && rawBytes < 0) rawBytes = Buffer.byteLength(entry.body) + attributesSize(entry.attributes);
      if (!raw && envelopeBytes < 0) envelopeBytes = Buffer.byteLength(body);
      if ((raw ? rawBytes : envelopeBytes) > target.maxMessageBytes) continue;
    }
    const delivery: { -readonly [K in keyof FanOutDelivery]: FanOutDelivery[K] } = {
      subscription,
      queue: subscription.queue,
      raw,
      body,
      attributes: raw ? entry.attributes : NO_ATTRIBUTES,
    };
    if (entry.groupId !== undefined) delivery.groupId = entry.groupId;
    if (target.fifo) delivery.deduplicationId = entry.deduplicationId ?? publish.messageId;
    deliveries.push(delivery);
  }
  return deliveries;
}
