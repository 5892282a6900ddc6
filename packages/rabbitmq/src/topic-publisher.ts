import { randomUUID } from 'node:crypto';
import {
  compileFilterPolicy,
  type DriverBatchFailure,
  type DriverBatchResult,
  type DriverPublishEntry,
  type DriverSendResult,
  type DriverSubscription,
  type FilterPredicate,
  isMsgportError,
  wrapSnsEnvelope,
} from '@msgport/core/driver';
import type { AgeTracker } from './age-tracker.js';
import { DedupWindow } from './dedup-window.js';
import { type DelayedCounter, delayedPublish } from './delay-cascade.js';
import { FANOUT_HEADER, fanoutMessageId } from './fanout-id.js';
import { encodeMessage, type OutgoingMessage } from './message-codec.js';
import type { Publisher, PublishRequest } from './publisher.js';
import type { RegistryState, TopicEntry } from './registry-state.js';
import type { SequenceSource } from './sequence.js';
import type { Names } from './topology.js';

type PublishOutcome = Omit<DriverSendResult, 'id'>;

/** Subscription markers per publish: amqplib encodes headers into one 64 KiB table. */
const MARKERS_PER_PUBLISH = 500;

export function topicArn(topic: string): string {
  return `arn:aws:sns:local:000000000000:${topic}`;
}

/** The header a subscription's binding matches (`x-match: any`) on its topic's headers exchange. */
export function subscriptionMarker(subscriptionId: string): string {
  return `mq-s.${subscriptionId.slice(subscriptionId.lastIndexOf(':') + 1)}`;
}

/**
 * SNS publish: each subscription's filter policy is evaluated here with core's evaluator; the matching
 * subscriptions are grouped by delivery format (raw, or the SNS JSON envelope) and each group is one
 * publish to the topic's headers exchange carrying the groups' markers, so RabbitMQ copies it into
 * every matching queue exactly once. Queues with a delivery delay get their copy through the delay
 * cascade instead.
 */
export class TopicPublisher {
  readonly #publisher: Publisher;
  readonly #names: Names;
  readonly #state: RegistryState;
  readonly #delayed: DelayedCounter;
  readonly #sequence: SequenceSource;
  readonly #ages: AgeTracker;
  readonly #dedup = new Map<string, DedupWindow<PublishOutcome>>();
  readonly #predicates = new Map<string, FilterPredicate | undefined>();

  constructor(
    publisher: Publisher,
    names: Names,
    state: RegistryState,
    delayed: DelayedCounter,
    sequence: SequenceSource,
    ages: AgeTracker,
  ) {
    this.#publisher = publisher;
    this.#names = names;
    this.#state = state;
    this.#delayed = delayed;
    this.#sequence = sequence;
    this.#ages = ages;
  }

  async publishBatch(
    topic: TopicEntry,
    entries: readonly DriverPublishEntry[],
  ): Promise<DriverBatchResult<DriverSendResult>> {
    const window = topic.config.fifo ? this.#window(topic) : undefined;
    const pending = new Map<string, Promise<PublishOutcome>>();
    const work = entries.map((entry) => {
      const key = window ? entry.deduplicationId : undefined;
      if (key !== undefined) {
        const seen = window?.get(key);
        if (seen) return Promise.resolve(seen);
        const inBatch = pending.get(key);
        if (inBatch) return inBatch;
      }
      const published = this.#publishOne(topic, entry);
      if (key !== undefined) {
        pending.set(key, published);
        published.then(
          (outcome) => window?.set(key, outcome),
          () => {},
        );
      }
      return published;
    });
    const settled = await Promise.allSettled(work);
    const successful: DriverSendResult[] = [];
    const failed: DriverBatchFailure[] = [];
    let firstError: unknown;
    settled.forEach((result, index) => {
      const id = (entries[index] as DriverPublishEntry).id;
      if (result.status === 'fulfilled') {
        successful.push({ id, ...result.value });
        return;
      }
      const reason: unknown = result.reason;
      firstError ??= reason;
      failed.push({
        id,
        code: isMsgportError(reason) ? reason.code : 'Unavailable',
        message: reason instanceof Error ? reason.message : String(reason),
        senderFault: false,
      });
    });
    if (successful.length === 0 && failed.length > 0) throw firstError;
    return { successful, failed };
  }

  forget(topic: string): void {
    for (const key of [...this.#dedup.keys()]) if (key.startsWith(`${topic}\u0000`)) this.#dedup.delete(key);
  }

  async #publishOne(topic: TopicEntry, entry: DriverPublishEntry): Promise<PublishOutcome> {
    const now = Date.now();
    const messageId = randomUUID();
    const sequenceNumber = topic.config.fifo ? this.#sequence.next(now) : undefined;
    const matching = this.#state
      .subscriptionsOf(topic.name)
      .filter((subscription) => this.#matches(subscription, entry));
    const requests: PublishRequest[] = [];
    const delayedCopies: { queue: string; dueAt: number }[] = [];
    const copies: { queue: string; messageId: string }[] = [];
    for (const raw of [true, false]) {
      const group = matching.filter((subscription) => subscription.rawMessageDelivery === raw);
      if (group.length === 0) continue;
      const base: OutgoingMessage = {
        messageId,
        body: raw
          ? entry.body
          : wrapSnsEnvelope({
              messageId,
              topicArn: topicArn(topic.name),
              body: entry.body,
              attributes: entry.attributes,
              timestamp: now,
              ...(entry.subject !== undefined ? { subject: entry.subject } : {}),
              ...(sequenceNumber !== undefined ? { sequenceNumber } : {}),
            }),
        attributes: raw ? entry.attributes : {},
        sentAt: now,
        enqueuedAt: now,
        ...(entry.groupId !== undefined ? { groupId: entry.groupId } : {}),
        deduplicationId: entry.deduplicationId ?? messageId,
        ...(sequenceNumber !== undefined ? { sequenceNumber } : {}),
      };
      const direct: DriverSubscription[] = [];
      for (const subscription of group) {
        const queue = this.#state.queues.get(subscription.queue);
        if (!queue) continue;
        const brokerQueue = this.#names.queue(queue.name);
        copies.push({ queue: queue.name, messageId: fanoutMessageId(messageId, brokerQueue) });
        if (queue.config.delaySeconds === 0) {
          direct.push(subscription);
          continue;
        }
        const copy = encodeMessage({ ...base, messageId: fanoutMessageId(messageId, brokerQueue) });
        requests.push(delayedPublish(brokerQueue, queue.config.delaySeconds, copy));
        delayedCopies.push({ queue: queue.name, dueAt: now + queue.config.delaySeconds * 1000 });
      }
      for (let start = 0; start < direct.length; start += MARKERS_PER_PUBLISH) {
        const markers: Record<string, string> = { [FANOUT_HEADER]: '1' };
        for (const subscription of direct.slice(start, start + MARKERS_PER_PUBLISH)) {
          markers[subscriptionMarker(subscription.id)] = '1';
        }
        const { content, options } = encodeMessage({ ...base, headers: markers });
        requests.push({ exchange: this.#names.topicExchange(topic.name), routingKey: '', content, options });
      }
    }
    await Promise.all(requests.map((request) => this.#publisher.publish(request)));
    for (const copy of delayedCopies) this.#delayed.add(copy.queue, copy.dueAt);
    for (const copy of copies) this.#ages.add(copy.queue, copy.messageId, now);
    return sequenceNumber !== undefined ? { messageId, sequenceNumber } : { messageId };
  }

  #matches(subscription: DriverSubscription, entry: DriverPublishEntry): boolean {
    if (!this.#predicates.has(subscription.id)) {
      this.#predicates.set(
        subscription.id,
        subscription.filterPolicy
          ? compileFilterPolicy(subscription.filterPolicy, subscription.filterPolicyScope)
          : undefined,
      );
    }
    const predicate = this.#predicates.get(subscription.id);
    return predicate ? predicate({ attributes: entry.attributes, body: entry.body }) : true;
  }

  #window(topic: TopicEntry): DedupWindow<PublishOutcome> {
    const key = `${topic.name}\u0000${topic.id}`;
    let window = this.#dedup.get(key);
    if (!window) {
      window = new DedupWindow();
      this.#dedup.set(key, window);
    }
    return window;
  }
}
