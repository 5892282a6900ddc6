import {
  type Clock,
  DedupWindow,
  type DriverMessage,
  type DriverReceiveRequest,
  type DriverSendEntry,
  type DriverSendResult,
  dedupKey,
  LongPolls,
  type MessageAttributes,
  MessageNotInflightError,
  purgeCooldownError,
  type QueueConfig,
  QueueDoesNotExistError,
  type QueueStats,
  ReceiptHandleIsInvalidError,
  visibilityCapError,
} from '@msgport/core/driver';
import { AgeIndex } from './age-index.js';
import { delivery } from './delivery.js';
import { FairLanes } from './fair-lanes.js';
import { FifoGroups } from './fifo-groups.js';
import { type MessageGroup, MessageGroups } from './message-group.js';
import { MessageIds, SequenceNumbers } from './message-ids.js';
import { DELAYED, FREE, IN_FLIGHT, type MessageState, MessageTable, READY } from './message-table.js';
import { MessageTimers } from './message-timers.js';
import { type MovedMessage, movedMessage } from './moved-message.js';
import { PollAlarm } from './poll-alarm.js';
import { ReceiptHandles } from './receipt-handles.js';
import { NONE } from './slot-chain.js';
import { workCounts } from './work-counts.js';

export interface EnqueueInput {
  readonly body: string;
  readonly attributes: MessageAttributes;
  readonly delaySeconds: number;
  readonly groupId?: string;
  readonly deduplicationId?: string;
}

export interface EnqueueResult {
  readonly messageId: string;
  readonly sequenceNumber?: string;
}

/** What a long poll waits for. */
interface PollRequest {
  readonly maxMessages: number;
  readonly visibilityTimeoutSeconds: number;
}

/** Lets a queue reach its dead-letter queue by name. */
export type QueueLookup = (name: string) => MemoryQueue | undefined;

/**
 * One queue's state machine with exact SQS semantics, every operation in O(1) or O(log n) whatever
 * the backlog. Messages live in a `MessageTable`; ready messages of a standard queue wait in fair
 * lanes, a FIFO queue chains every undeleted message in its group; delays and visibility timeouts
 * run on timer lists; an age index gives the oldest message and retention. Long polls are served as
 * messages become ready.
 */
export class MemoryQueue {
  readonly name: string;
  readonly config: QueueConfig;
  readonly createdAt: number;
  readonly #clock: Clock;
  readonly #lookup: QueueLookup;
  readonly #handles: ReceiptHandles;
  readonly #retentionMs: number;
  readonly #visibilitySeconds: number;
  readonly #deadLetter: QueueConfig['deadLetter'];
  readonly #table: MessageTable;
  readonly #groups: MessageGroups;
  readonly #lanes: FairLanes;
  readonly #fifo: FifoGroups | undefined;
  readonly #timers: MessageTimers;
  readonly #ages: AgeIndex;
  readonly #ids = new MessageIds();
  readonly #sequence = new SequenceNumbers();
  readonly #dedup = new DedupWindow<EnqueueResult>();
  readonly #polls: LongPolls<PollRequest, DriverMessage>;
  /** Births and receives, numbered from one counter: a receipt handle names one of them. */
  #stamp = 0;
  /** Messages by state (index `FREE` unused). */
  readonly #counts = [0, 0, 0, 0];
  /** Standard messages received with visibility 0: back in their lane once the receive is done. */
  readonly #returning: number[] = [];
  readonly #alarm: PollAlarm;
  #lastPurgeAt: number | undefined;

  constructor(name: string, config: QueueConfig, clock: Clock, lookup: QueueLookup) {
    this.name = name;
    this.config = config;
    this.#clock = clock;
    this.#lookup = lookup;
    this.#handles = new ReceiptHandles(name);
    // Settings read on every operation are kept here, next to the rest of the hot state.
    this.#retentionMs = config.retentionSeconds * 1000;
    this.#visibilitySeconds = config.visibilityTimeoutSeconds;
    this.#deadLetter = config.deadLetter;
    this.#table = new MessageTable(config.fifo, this.#ids);
    this.#groups = new MessageGroups(this.#table.groupLinks);
    this.#lanes = new FairLanes(this.#groups);
    this.#fifo = config.fifo ? new FifoGroups(this.#groups, this.#table) : undefined;
    this.#timers = new MessageTimers(this.#table);
    this.#ages = new AgeIndex(this.#table);
    this.#polls = new LongPolls({ clock, onChange: () => this.#arm() });
    this.#alarm = new PollAlarm(clock, () => this.#wake());
    this.createdAt = clock.now();
  }

  enqueue(input: EnqueueInput): EnqueueResult {
    const sent = this.#enqueue(input, this.#clock.now());
    this.#wake();
    return typeof sent === 'string' ? { messageId: sent } : sent;
  }

  /** Stores a batch of sends at one instant; waiting long polls are served once, after the batch. */
  sendBatch(entries: readonly DriverSendEntry[]): DriverSendResult[] {
    const now = this.#clock.now();
    const results: DriverSendResult[] = [];
    for (const entry of entries) {
      const sent = this.#enqueue(entry, now);
      results.push(typeof sent === 'string' ? { id: entry.id, messageId: sent } : { id: entry.id, ...sent });
    }
    this.#wake();
    return results;
  }

  /** Takes in a message moved here by redrive: same id, body and attributes; its receive count continues. */
  adopt(moved: MovedMessage): void {
    const now = this.#clock.now();
    const fifo = this.config.fifo;
    // FIFO dead-letter queues replace the deduplication id by the message id and reset the enqueue time (SQS).
    const sent = fifo ? now : moved.sentTimestamp;
    const slot = this.#table.add(
      moved.messageId,
      moved.body,
      moved.attributes,
      this.#groups.join(moved.groupId).index,
      ++this.#stamp,
      sent,
    );
    this.#table.setReceives(slot, moved.receiveCount, moved.firstReceiveTimestamp);
    if (fifo) this.#table.setFifoIds(slot, moved.messageId, this.#sequence.next());
    this.#place(slot, 0, now);
    this.#wake();
  }

  receive(request: DriverReceiveRequest, closeSignal: AbortSignal): Promise<DriverMessage[]> {
    const visibility = request.visibilityTimeoutSeconds ?? this.#visibilitySeconds;
    const taken = this.#take(request.maxMessages, visibility);
    if (taken.length > 0 || request.waitTimeSeconds === 0) return Promise.resolve(taken);
    return this.#polls.wait(
      { maxMessages: request.maxMessages, visibilityTimeoutSeconds: visibility },
      { waitMs: request.waitTimeSeconds * 1000, signal: request.signal, closeSignal },
    );
  }

  /** Deletes with the latest receipt handle; a stale or repeated delete is a no-op, as on SQS. */
  delete(receiptHandle: string): void {
    const { slot, generation } = this.#handles.parse(receiptHandle);
    const table = this.#table;
    if (table.state(slot) === FREE || table.generation(slot) !== generation || table.receiveCount(slot) === 0) return;
    this.#remove(slot);
    if (this.#fifo) this.#wake();
  }

  /**
   * A handle whose message is gone (deleted, purged, moved to the dead-letter queue, expired) or was
   * received again since is `ReceiptHandleIsInvalid`; a current handle whose visibility already
   * expired is `MessageNotInflight`.
   */
  changeVisibility(receiptHandle: string, seconds: number): void {
    const { slot, generation } = this.#handles.parse(receiptHandle);
    const table = this.#table;
    const now = this.#clock.now();
    this.#promote(now);
    if (table.state(slot) === FREE || generation < table.birth(slot)) {
      throw new ReceiptHandleIsInvalidError('the message of this receipt handle is no longer in the queue');
    }
    if (table.generation(slot) !== generation || table.receiveCount(slot) === 0) {
      throw new ReceiptHandleIsInvalidError('the receipt handle has expired: the message was received again since');
    }
    if (table.state(slot) !== IN_FLIGHT) {
      throw new MessageNotInflightError('the message is not in flight: its visibility timeout already expired');
    }
    const capError = visibilityCapError(table.receivedAt(slot), now, seconds);
    if (capError) throw capError;
    this.#timers.cancel(slot);
    if (seconds === 0) {
      this.#setState(slot, READY);
      this.#wake();
    } else {
      this.#timers.schedule(slot, seconds * 1000, now);
      this.#arm();
    }
  }

  purge(): void {
    const now = this.#clock.now();
    const cooldown = purgeCooldownError(this.name, this.#lastPurgeAt, now);
    if (cooldown) throw cooldown;
    this.#lastPurgeAt = now;
    this.#table.clear();
    this.#groups.clear();
    this.#timers.clear();
    this.#ages.clear();
    this.#counts.fill(0);
  }

  /** Counters and the oldest message: no message is visited (beyond timers and retention that fall due). */
  stats(): QueueStats {
    const now = this.#clock.now();
    this.#promote(now);
    const oldest = this.#ages.oldest();
    const age = oldest === NONE ? 0 : Math.max(0, now - this.#table.sentTimestamp(oldest));
    return {
      visible: this.#counts[READY] as number,
      inFlight: this.#counts[IN_FLIGHT] as number,
      delayed: this.#counts[DELAYED] as number,
      oldestMessageAgeSeconds: Math.floor(age / 1000),
      createdAt: new Date(this.createdAt),
    };
  }

  /** Ends pending long polls: the queue was deleted. */
  dispose(): void {
    this.#polls.rejectAll(new QueueDoesNotExistError(`queue "${this.name}" was deleted`));
    this.#alarm.cancel();
  }

  // ---- internals ----

  /** Stores one send: the message id, or for a FIFO queue the id and sequence number (or those of its duplicate). */
  #enqueue(input: EnqueueInput, now: number): string | EnqueueResult {
    let key: string | undefined;
    if (this.#fifo && input.deduplicationId !== undefined) {
      key = dedupKey(this.config.deduplicationScope, input.groupId, input.deduplicationId);
      const seen = this.#dedup.get(key, now);
      if (seen) return seen;
    }
    const idNumber = this.#ids.next();
    const messageId = this.#ids.format(idNumber);
    const slot = this.#table.add(
      idNumber,
      input.body,
      input.attributes,
      this.#groups.join(input.groupId).index,
      ++this.#stamp,
      now,
    );
    if (!this.#fifo) {
      this.#place(slot, input.delaySeconds, now);
      return messageId;
    }
    const sequenceNumber = this.#sequence.next();
    this.#table.setFifoIds(slot, input.deduplicationId, sequenceNumber);
    this.#place(slot, input.delaySeconds, now);
    const result: EnqueueResult = { messageId, sequenceNumber };
    if (key !== undefined) this.#dedup.set(key, result, now);
    return result;
  }

  /** Places a new message (stored in `slot`): ready at once, or delayed by `delaySeconds`. */
  #place(slot: number, delaySeconds: number, now: number): void {
    this.#ages.add(slot);
    this.#fifo?.add(slot, this.#groupOf(slot));
    if (delaySeconds > 0) {
      this.#setState(slot, DELAYED);
      this.#timers.schedule(slot, delaySeconds * 1000, now);
    } else {
      this.#setState(slot, READY);
    }
  }

  /** Moves a message to `state` (not `FREE`: see `#remove`), keeping counts, lanes and group locks. */
  #setState(slot: number, state: MessageState): void {
    const table = this.#table;
    const from = table.state(slot);
    if (from !== FREE) this.#count(from, -1);
    this.#count(state, 1);
    table.setState(slot, state);
    const group = this.#groupOf(slot);
    if (from === IN_FLIGHT) group.inFlight--;
    if (state === IN_FLIGHT) group.inFlight++;
    if (this.#fifo) {
      this.#fifo.refresh(group);
    } else if (from === READY) {
      this.#lanes.remove(slot, group);
    } else if (state === READY) {
      this.#lanes.push(slot, group);
    }
  }

  #groupOf(slot: number): MessageGroup {
    return this.#groups.at(this.#table.groupIndex(slot));
  }

  #count(state: MessageState, change: number): void {
    this.#counts[state] = (this.#counts[state] as number) + change;
  }

  /** Takes a message out of the queue for good (deleted, expired, moved, purged). */
  #remove(slot: number): void {
    const table = this.#table;
    const state = table.state(slot);
    if (state === FREE) return;
    const group = this.#groupOf(slot);
    this.#count(state, -1);
    if (state === IN_FLIGHT) group.inFlight--;
    if (state !== READY) this.#timers.cancel(slot);
    if (this.#fifo) this.#fifo.remove(slot, group);
    else if (state === READY) this.#lanes.remove(slot, group);
    this.#ages.remove(slot);
    this.#groups.leave(group);
    table.release(slot);
  }

  /** Moves due delayed messages and expired visibility timeouts to ready; drops messages past retention. */
  #promote(now: number): void {
    this.#timers.popDue(now, (slot) => this.#setState(slot, READY));
    const table = this.#table;
    const cutoff = now - this.#retentionMs;
    for (
      let slot = this.#ages.oldest();
      slot !== NONE && table.sentTimestamp(slot) <= cutoff;
      slot = this.#ages.oldest()
    ) {
      workCounts.messageVisits++;
      this.#remove(slot);
    }
  }

  #take(maxMessages: number, visibilitySeconds: number): DriverMessage[] {
    const now = this.#clock.now();
    this.#promote(now);
    const out: DriverMessage[] = [];
    const take = (slot: number) => this.#deliverOrDeadLetter(slot, visibilitySeconds, now, out);
    if (this.#fifo) this.#fifo.serve(maxMessages, out, take);
    else this.#lanes.serve(maxMessages, out, take);
    const returning = this.#returning;
    if (returning.length > 0) {
      for (const slot of returning) this.#lanes.push(slot, this.#groupOf(slot));
      returning.length = 0;
    }
    if (out.length > 0) this.#arm();
    return out;
  }

  #deliverOrDeadLetter(slot: number, visibilitySeconds: number, now: number, out: DriverMessage[]): void {
    const table = this.#table;
    const deadLetter = this.#deadLetter;
    if (deadLetter && table.receiveCount(slot) >= deadLetter.maxReceiveCount) {
      const dlq = this.#lookup(deadLetter.queue);
      if (dlq) {
        const moved = movedMessage(table, slot, this.#groupOf(slot).id);
        this.#remove(slot);
        dlq.adopt(moved);
        return;
      }
    }
    const generation = ++this.#stamp;
    table.received(slot, now, generation);
    if (visibilitySeconds > 0) {
      this.#setState(slot, IN_FLIGHT);
      this.#timers.schedule(slot, visibilitySeconds * 1000, now);
    } else if (!this.#fifo) {
      // Visible again at once: it stays ready and its current receipt handle remains valid. It goes
      // back to its lane after this receive, so one receive never returns it twice.
      this.#lanes.remove(slot, this.#groupOf(slot));
      this.#returning.push(slot);
    }
    out.push(delivery(table, slot, this.#groupOf(slot).id, this.#handles.format(slot, generation)));
  }

  /** Serves waiting long polls in arrival order while messages are available. */
  #wake(): void {
    if (this.#polls.size > 0) {
      this.#polls.serve((request) => this.#take(request.maxMessages, request.visibilityTimeoutSeconds));
    }
    this.#arm();
  }

  /** Keeps the alarm at the next due delay or visibility expiry while someone is waiting. */
  #arm(): void {
    if (this.#polls.size === 0) this.#alarm.cancel();
    else this.#alarm.set(this.#timers.nextDue());
  }
}
