import {
  type DriverBatchResult,
  type DriverSendEntry,
  type DriverSendResult,
  dedupKey,
  eachEntryAsync,
  QueueDoesNotExistError,
} from '@msgport/core/driver';
import type { AgeTracker } from './age-tracker.js';
import { BatchIds } from './batch-ids.js';
import { classifyRabbitError } from './classify-error.js';
import { TRANSPORT_NAME } from './connection.js';
import { DedupWindows } from './dedup-windows.js';
import { type DelayedCounter, delayedPublish } from './delay-cascade.js';
import { encodeMessage } from './message-codec.js';
import type { Publisher, PublishOutcome, PublishRequest } from './publisher.js';
import type { QueueEntry } from './registry-state.js';
import type { SequenceSource } from './sequence.js';

type SendOutcome = Omit<DriverSendResult, 'id'>;

export interface SendTarget {
  readonly queue: QueueEntry;
  readonly brokerQueue: string;
  /** Delayed messages route through the cascade whether or not the queue exists: check it first. */
  exists(): Promise<boolean>;
}

/**
 * sendBatch: every entry is published (persistent, mandatory) back to back and the batch awaits all
 * publisher confirms together. FIFO queues deduplicate in this process before publishing (a repeated
 * id returns the first message's id and sequence number); the queue's dispatcher drops duplicates that
 * other processes send.
 */
export class Sender {
  readonly #publisher: Pick<Publisher, 'publish'>;
  readonly #delayed: DelayedCounter;
  readonly #sequence: SequenceSource;
  readonly #ages: AgeTracker;
  readonly #dedup = new DedupWindows<SendOutcome>();
  readonly #ids = new BatchIds();

  constructor(
    publisher: Pick<Publisher, 'publish'>,
    delayed: DelayedCounter,
    sequence: SequenceSource,
    ages: AgeTracker,
  ) {
    this.#publisher = publisher;
    this.#delayed = delayed;
    this.#sequence = sequence;
    this.#ages = ages;
  }

  async sendBatch(
    target: SendTarget,
    entries: readonly DriverSendEntry[],
  ): Promise<DriverBatchResult<DriverSendResult>> {
    const { queue, brokerQueue } = target;
    if (entries.some((entry) => entry.delaySeconds > 0) && !(await target.exists())) throw missing(queue.name);
    const ids = this.#ids.of(entries);
    const window = queue.config.fifo ? this.#dedup.of(queue) : undefined;
    const pending = new Map<string, Promise<SendOutcome>>();
    const now = Date.now();
    const result = await eachEntryAsync(
      entries,
      (entry): Promise<DriverSendResult> => {
        const messageId = ids[entries.indexOf(entry)] as string;
        const key =
          window && entry.deduplicationId !== undefined
            ? dedupKey(queue.config.deduplicationScope, entry.groupId, entry.deduplicationId)
            : undefined;
        let sent: Promise<SendOutcome> | undefined;
        if (key !== undefined) {
          const seen = window?.get(key, now);
          sent = seen ? Promise.resolve(seen) : pending.get(key);
        }
        if (!sent) {
          sent = this.#sendOne(queue, brokerQueue, entry, messageId);
          if (key !== undefined) {
            pending.set(key, sent);
            // A failed send is not remembered; its failure is the entry's own (reported below).
            sent.then((outcome) => window?.set(key, outcome, now), ignore);
          }
        }
        return sent.then((outcome) => ({ id: entry.id, ...outcome }));
      },
      classifyRabbitError,
    );
    if (result.failed.some((failure) => failure.code === 'QueueDoesNotExist')) throw missing(queue.name);
    return result;
  }

  /** Forgets the queue's deduplication window (deleted queue). */
  forget(queue: string): void {
    this.#dedup.forget(queue);
  }

  async #sendOne(
    queue: QueueEntry,
    brokerQueue: string,
    entry: DriverSendEntry,
    messageId: string,
  ): Promise<SendOutcome> {
    const now = Date.now();
    const fifo = queue.config.fifo;
    const sequenceNumber = fifo ? this.#sequence.next(now) : undefined;
    const message = encodeMessage({
      messageId,
      body: entry.body,
      attributes: entry.attributes,
      sentAt: now,
      enqueuedAt: now,
      ...(entry.groupId !== undefined ? { groupId: entry.groupId } : {}),
      ...(fifo && entry.deduplicationId !== undefined ? { deduplicationId: entry.deduplicationId } : {}),
      ...(sequenceNumber !== undefined ? { sequenceNumber } : {}),
    });
    const request: PublishRequest =
      entry.delaySeconds > 0
        ? delayedPublish(brokerQueue, entry.delaySeconds, message)
        : {
            exchange: '',
            routingKey: brokerQueue,
            content: message.content,
            options: { ...message.options, mandatory: true },
          };
    const outcome: PublishOutcome = await this.#publisher.publish(request);
    if (outcome === 'returned') throw missing(queue.name);
    if (entry.delaySeconds > 0) this.#delayed.add(queue.name, now + entry.delaySeconds * 1000);
    this.#ages.add(queue.name, messageId, now);
    return sequenceNumber !== undefined ? { messageId, sequenceNumber } : { messageId };
  }
}

function missing(queue: string): QueueDoesNotExistError {
  return new QueueDoesNotExistError(`queue "${queue}" does not exist`, { transport: TRANSPORT_NAME });
}

function ignore(): void {}
