import { randomUUID } from 'node:crypto';
import {
  attributesSize,
  type Clock,
  compileFilterPolicy,
  type DriverPublishEntry,
  type DriverSendResult,
  type DriverSubscription,
  type FilterPredicate,
  LIMITS,
  type SubscriptionConfig,
  type TopicConfig,
  wrapSnsEnvelope,
} from '@msgport/core/driver';
import type { MemoryQueue } from './memory-queue.js';

interface MemorySubscription extends DriverSubscription {
  readonly matches: FilterPredicate | undefined;
}

/** One topic: its subscriptions, FIFO deduplication and fan-out to subscribed queues. */
export class MemoryTopic {
  readonly name: string;
  readonly config: TopicConfig;
  readonly arn: string;
  readonly #clock: Clock;
  readonly #subscriptions = new Map<string, MemorySubscription>();
  readonly #dedup = new Map<string, DriverSendResult & { expiresAt: number }>();
  #sequence = 0n;

  constructor(name: string, config: TopicConfig, clock: Clock) {
    this.name = name;
    this.config = config;
    this.arn = `arn:aws:sns:local:000000000000:${name}`;
    this.#clock = clock;
  }

  subscriptions(): DriverSubscription[] {
    return [...this.#subscriptions.values()].map(({ matches: _matches, ...subscription }) => subscription);
  }

  findSubscription(queue: string, config: SubscriptionConfig): DriverSubscription | undefined {
    for (const subscription of this.#subscriptions.values()) {
      if (subscription.queue !== queue) continue;
      const same =
        subscription.rawMessageDelivery === config.rawMessageDelivery &&
        subscription.filterPolicyScope === config.filterPolicyScope &&
        JSON.stringify(subscription.filterPolicy) === JSON.stringify(config.filterPolicy);
      if (same) return subscription;
    }
    return undefined;
  }

  subscribe(queue: string, config: SubscriptionConfig): string {
    const id = `${this.arn}:${randomUUID()}`;
    const matches = config.filterPolicy
      ? compileFilterPolicy(config.filterPolicy, config.filterPolicyScope)
      : undefined;
    this.#subscriptions.set(id, { id, topic: this.name, queue, ...config, matches });
    return id;
  }

  unsubscribe(id: string): boolean {
    return this.#subscriptions.delete(id);
  }

  /** Publishes one entry to every matching subscription; deliveries to deleted queues are dropped, as on SNS. */
  publish(entry: DriverPublishEntry, queueByName: (name: string) => MemoryQueue | undefined): DriverSendResult {
    const now = this.#clock.now();
    if (this.config.fifo && entry.deduplicationId !== undefined) {
      const seen = this.#dedup.get(entry.deduplicationId);
      if (seen && seen.expiresAt > now) return { ...omitExpiry(seen), id: entry.id };
    }
    const messageId = randomUUID();
    const sequenceNumber = this.config.fifo ? (++this.#sequence).toString().padStart(20, '0') : undefined;
    for (const subscription of this.#subscriptions.values()) {
      if (subscription.matches && !subscription.matches({ attributes: entry.attributes, body: entry.body })) continue;
      const queue = queueByName(subscription.queue);
      if (!queue) continue;
      const body = subscription.rawMessageDelivery
        ? entry.body
        : wrapSnsEnvelope({
            messageId,
            topicArn: this.arn,
            body: entry.body,
            attributes: entry.attributes,
            timestamp: now,
            ...(entry.subject !== undefined ? { subject: entry.subject } : {}),
            ...(sequenceNumber !== undefined ? { sequenceNumber } : {}),
          });
      // SNS cannot deliver what the queue would refuse; the copy is dropped, as SNS drops it.
      if (
        Buffer.byteLength(body) + (subscription.rawMessageDelivery ? attributesSize(entry.attributes) : 0) >
        queue.config.maxMessageBytes
      ) {
        continue;
      }
      queue.enqueue({
        body,
        attributes: subscription.rawMessageDelivery ? entry.attributes : {},
        delaySeconds: queue.config.delaySeconds,
        ...(entry.groupId !== undefined ? { groupId: entry.groupId } : {}),
        ...(queue.config.fifo ? { deduplicationId: entry.deduplicationId ?? messageId } : {}),
      });
    }
    const result: DriverSendResult = {
      id: entry.id,
      messageId,
      ...(sequenceNumber !== undefined ? { sequenceNumber } : {}),
    };
    if (this.config.fifo && entry.deduplicationId !== undefined) {
      for (const [key, value] of this.#dedup) {
        if (value.expiresAt > now) break;
        this.#dedup.delete(key);
      }
      this.#dedup.set(entry.deduplicationId, { ...result, expiresAt: now + LIMITS.deduplicationWindowSeconds * 1000 });
    }
    return result;
  }
}

function omitExpiry(entry: DriverSendResult & { expiresAt: number }): DriverSendResult {
  const { expiresAt: _expiresAt, ...result } = entry;
  return result;
}
