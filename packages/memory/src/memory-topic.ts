import { randomUUID } from 'node:crypto';
import {
  type Clock,
  DedupWindow,
  type DriverPublishEntry,
  type DriverSendResult,
  type DriverSubscription,
  fanOut,
  localTopicArn,
  newSubscriptionArn,
  type SubscriptionConfig,
  type TopicConfig,
} from '@msgport/core/driver';
import type { MemoryQueue } from './memory-queue.js';
import { SequenceNumbers } from './message-ids.js';

type PublishOutcome = Omit<DriverSendResult, 'id'>;

/** One topic: its subscriptions, FIFO deduplication and fan-out to subscribed queues. */
export class MemoryTopic {
  readonly name: string;
  readonly config: TopicConfig;
  readonly arn: string;
  readonly #clock: Clock;
  readonly #subscriptions = new Map<string, DriverSubscription>();
  readonly #dedup = new DedupWindow<PublishOutcome>();
  readonly #sequence = new SequenceNumbers();

  constructor(name: string, config: TopicConfig, clock: Clock) {
    this.name = name;
    this.config = config;
    this.arn = localTopicArn(name);
    this.#clock = clock;
  }

  subscriptions(): DriverSubscription[] {
    return [...this.#subscriptions.values()].map((subscription) => ({ ...subscription }));
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
    const id = newSubscriptionArn(this.name);
    this.#subscriptions.set(id, { id, topic: this.name, queue, ...config });
    return id;
  }

  unsubscribe(id: string): boolean {
    return this.#subscriptions.delete(id);
  }

  /** Publishes one entry to every matching subscription (core's `fanOut`) and stores the copies. */
  publish(entry: DriverPublishEntry, queueByName: (name: string) => MemoryQueue | undefined): DriverSendResult {
    const now = this.#clock.now();
    const dedupId = this.config.fifo ? entry.deduplicationId : undefined;
    if (dedupId !== undefined) {
      const seen = this.#dedup.get(dedupId, now);
      if (seen) return { id: entry.id, ...seen };
    }
    const messageId = randomUUID();
    const sequenceNumber = this.config.fifo ? this.#sequence.next() : undefined;
    const deliveries = fanOut(entry, this.#subscriptions.values(), {
      messageId,
      topicArn: this.arn,
      timestamp: now,
      ...(sequenceNumber !== undefined ? { sequenceNumber } : {}),
      target: (name) => queueByName(name)?.config,
    });
    for (const delivery of deliveries) {
      const queue = queueByName(delivery.queue) as MemoryQueue;
      queue.enqueue({
        body: delivery.body,
        attributes: delivery.attributes,
        delaySeconds: queue.config.delaySeconds,
        ...(delivery.groupId !== undefined ? { groupId: delivery.groupId } : {}),
        ...(delivery.deduplicationId !== undefined ? { deduplicationId: delivery.deduplicationId } : {}),
      });
    }
    const outcome: PublishOutcome = sequenceNumber !== undefined ? { messageId, sequenceNumber } : { messageId };
    if (dedupId !== undefined) this.#dedup.set(dedupId, outcome, now);
    return { id: entry.id, ...outcome };
  }
}
