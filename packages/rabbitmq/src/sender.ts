import { randomUUID } from 'node:crypto';
import {
  type DriverBatchFailure,
  type DriverBatchResult,
  type DriverSendEntry,
  type DriverSendResult,
  isMsgportError,
  QueueDoesNotExistError,
} from '@msgport/core/driver';
import type { AgeTracker } from './age-tracker.js';
import { TRANSPORT_NAME } from './connection.js';
import { DedupWindow, dedupKey } from './dedup-window.js';
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
  readonly #publisher: Publisher;
  readonly #delayed: DelayedCounter;
  readonly #sequence: SequenceSource;
  readonly #ages: AgeTracker;
  readonly #dedup = new Map<string, DedupWindow<SendOutcome>>();

  constructor(publisher: Publisher, delayed: DelayedCounter, sequence: SequenceSource, ages: AgeTracker) {
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
    if (entries.some((entry) => entry.delaySeconds > 0) && !(await target.exists())) {
      throw new QueueDoesNotExistError(`queue "${queue.name}" does not exist`, { transport: TRANSPORT_NAME });
    }
    const window = queue.config.fifo ? this.#window(queue) : undefined;
    const pending = new Map<string, Promise<SendOutcome>>();
    const work = entries.map((entry): Promise<SendOutcome> => {
      const key =
        window && entry.deduplicationId !== undefined
          ? dedupKey(queue.config.deduplicationScope, entry.groupId, entry.deduplicationId)
          : undefined;
      if (key !== undefined) {
        const seen = window?.get(key) ?? undefined;
        if (seen) return Promise.resolve(seen);
        const inBatch = pending.get(key);
        if (inBatch) return inBatch;
      }
      const sent = this.#sendOne(queue, brokerQueue, entry);
      if (key !== undefined) {
        pending.set(key, sent);
        sent.then(
          (outcome) => window?.set(key, outcome),
          () => {},
        );
      }
      return sent;
    });
    const settled = await Promise.allSettled(work);
    const successful: DriverSendResult[] = [];
    const failed: DriverBatchFailure[] = [];
    let missing = false;
    let firstError: unknown;
    settled.forEach((result, index) => {
      const id = (entries[index] as DriverSendEntry).id;
      if (result.status === 'fulfilled') {
        successful.push({ id, ...result.value });
        return;
      }
      if (result.reason instanceof QueueDoesNotExistError) missing = true;
      firstError ??= result.reason;
      const reason: unknown = result.reason;
      failed.push({
        id,
        code: isMsgportError(reason) ? reason.code : 'Unavailable',
        message: reason instanceof Error ? reason.message : String(reason),
        senderFault: false,
      });
    });
    if (missing)
      throw new QueueDoesNotExistError(`queue "${queue.name}" does not exist`, { transport: TRANSPORT_NAME });
    // Nothing went through: one retryable error lets core retry the whole batch.
    if (successful.length === 0 && failed.length > 0) throw firstError;
    return { successful, failed };
  }

  /** Forgets the queue's deduplication window (deleted queue). */
  forget(queue: string): void {
    for (const key of [...this.#dedup.keys()]) if (key.startsWith(`${queue}\u0000`)) this.#dedup.delete(key);
  }

  async #sendOne(queue: QueueEntry, brokerQueue: string, entry: DriverSendEntry): Promise<SendOutcome> {
    const now = Date.now();
    const messageId = randomUUID();
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
    if (outcome === 'returned') {
      throw new QueueDoesNotExistError(`queue "${queue.name}" does not exist`, { transport: TRANSPORT_NAME });
    }
    if (entry.delaySeconds > 0) this.#delayed.add(queue.name, now + entry.delaySeconds * 1000);
    this.#ages.add(queue.name, messageId, now);
    return sequenceNumber !== undefined ? { messageId, sequenceNumber } : { messageId };
  }

  #window(queue: QueueEntry): DedupWindow<SendOutcome> {
    const key = `${queue.name}\u0000${queue.id}`;
    let window = this.#dedup.get(key);
    if (!window) {
      window = new DedupWindow();
      this.#dedup.set(key, window);
    }
    return window;
  }
}
