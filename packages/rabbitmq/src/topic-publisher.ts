import {
  type DriverBatchResult,
  type DriverPublishEntry,
  type DriverSendResult,
  type DriverSubscription,
  eachEntryAsync,
  fanOut,
  localTopicArn,
} from '@msgport/core/driver';
import type { AgeTracker } from './age-tracker.js';
import { BatchIds } from './batch-ids.js';
import { classifyRabbitError } from './classify-error.js';
import { DedupWindows } from './dedup-windows.js';
import { type DelayedCounter, delayedPublish } from './delay-cascade.js';
import { FANOUT_HEADER, fanoutMessageId } from './fanout-id.js';
import { encodeMessage, type OutgoingMessage } from './message-codec.js';
import type { Publisher, PublishRequest } from './publisher.js';
import type { QueueEntry, RegistryState, TopicEntry } from './registry-state.js';
import type { SequenceSource } from './sequence.js';
import type { Names } from './topology.js';

type PublishOutcome = Omit<DriverSendResult, 'id'>;

/** Subscription markers per publish: amqplib encodes headers into one 64 KiB table. */
const MARKERS_PER_PUBLISH = 500;

/** The header a subscription's binding matches (`x-match: any`) on its topic's headers exchange. */
export function subscriptionMarker(subscriptionId: string): string {
  return `mq-s.${subscriptionId.slice(subscriptionId.lastIndexOf(':') + 1)}`;
}

/**
 * SNS publish: core's `fanOut` decides which subscriptions get a copy and in which form; the copies
 * are grouped by delivery format (raw, or the SNS JSON envelope) and each group is one
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
  readonly #dedup = new DedupWindows<PublishOutcome>();
  readonly #ids = new BatchIds();

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
    const window = topic.config.fifo ? this.#dedup.of(topic) : undefined;
    const ids = this.#ids.of(entries);
    const pending = new Map<string, Promise<PublishOutcome>>();
    const now = Date.now();
    return eachEntryAsync(
      entries,
      (entry): Promise<DriverSendResult> => {
        const key = window ? entry.deduplicationId : undefined;
        let published: Promise<PublishOutcome> | undefined;
        if (key !== undefined) {
          const seen = window?.get(key, now);
          published = seen ? Promise.resolve(seen) : pending.get(key);
        }
        if (!published) {
          published = this.#publishOne(topic, entry, ids[entries.indexOf(entry)] as string);
          if (key !== undefined) {
            pending.set(key, published);
            // A failed publish is not remembered; its failure is the entry's own.
            published.then((outcome) => window?.set(key, outcome, now), ignore);
          }
        }
        return published.then((outcome) => ({ id: entry.id, ...outcome }));
      },
      classifyRabbitError,
    );
  }

  forget(topic: string): void {
    this.#dedup.forget(topic);
  }

  async #publishOne(topic: TopicEntry, entry: DriverPublishEntry, messageId: string): Promise<PublishOutcome> {
    const now = Date.now();
    const sequenceNumber = topic.config.fifo ? this.#sequence.next(now) : undefined;
    const deliveries = fanOut(entry, this.#state.subscriptionsOf(topic.name), {
      messageId,
      topicArn: localTopicArn(topic.name),
      timestamp: now,
      ...(sequenceNumber !== undefined ? { sequenceNumber } : {}),
      target: (name) => this.#state.queues.get(name)?.config,
    });
    const requests: PublishRequest[] = [];
    const delayedCopies: { queue: string; dueAt: number }[] = [];
    const copies: { queue: string; messageId: string }[] = [];
    for (const raw of [true, false]) {
      const group = deliveries.filter((delivery) => delivery.raw === raw);
      const first = group[0];
      if (!first) continue;
      const deduplicationId = group.find((delivery) => delivery.deduplicationId !== undefined)?.deduplicationId;
      const base: OutgoingMessage = {
        messageId,
        body: first.body,
        attributes: first.attributes,
        sentAt: now,
        enqueuedAt: now,
        ...(entry.groupId !== undefined ? { groupId: entry.groupId } : {}),
        ...(deduplicationId !== undefined ? { deduplicationId } : {}),
        ...(sequenceNumber !== undefined ? { sequenceNumber } : {}),
      };
      const direct: DriverSubscription[] = [];
      for (const { subscription, queue: name } of group) {
        const queue = this.#state.queues.get(name) as QueueEntry;
        const brokerQueue = this.#names.queue(name);
        copies.push({ queue: name, messageId: fanoutMessageId(messageId, brokerQueue) });
        if (queue.config.delaySeconds === 0) {
          direct.push(subscription);
          continue;
        }
        const copy = encodeMessage({ ...base, messageId: fanoutMessageId(messageId, brokerQueue) });
        requests.push(delayedPublish(brokerQueue, queue.config.delaySeconds, copy));
        delayedCopies.push({ queue: name, dueAt: now + queue.config.delaySeconds * 1000 });
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
}

function ignore(): void {}
