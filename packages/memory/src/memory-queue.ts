import { randomUUID } from 'node:crypto';
import {
  AbortedError,
  type Clock,
  ClosedError,
  type DriverMessage,
  type DriverReceiveRequest,
  InvalidParameterError,
  LIMITS,
  type MessageAttributes,
  MessageNotInflightError,
  PurgeInProgressError,
  type QueueConfig,
  QueueDoesNotExistError,
  type QueueStats,
  ReceiptHandleIsInvalidError,
} from '@msgport/core/driver';
import { Deque } from './deque.js';
import { type HeapEntry, MinHeap } from './min-heap.js';

type MessageState = 'delayed' | 'ready' | 'inflight' | 'gone';

interface StoredMessage {
  /** Internal key: small integers make the receipt-handle lookup cheap. */
  readonly key: number;
  readonly messageId: string;
  readonly body: string;
  readonly attributes: MessageAttributes;
  readonly groupId: string | undefined;
  readonly deduplicationId: string | undefined;
  readonly sequenceNumber: string | undefined;
  readonly sentTimestamp: number;
  readonly expiresAt: number;
  state: MessageState;
  receiveCount: number;
  firstReceiveTimestamp: number;
  receivedAt: number;
  /** Bumped on every receive; a receipt handle is current while its generation matches. */
  generation: number;
  /** Bumped whenever a timer is scheduled, so older heap entries are recognised as stale. */
  timerToken: number;
}

/** A `DriverMessage` being built: its optional fields are added only when present. */
type Delivery = { -readonly [K in keyof DriverMessage]: DriverMessage[K] };

interface TimerEntry extends HeapEntry {
  readonly message: StoredMessage;
  readonly token: number;
}

interface Waiter {
  readonly maxMessages: number;
  readonly visibilityTimeoutSeconds: number;
  finish(messages: DriverMessage[] | Error): void;
}

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

/** Lets a queue reach its dead-letter queue by name. */
export type QueueLookup = (name: string) => MemoryQueue | undefined;

/**
 * One queue's state machine with exact SQS semantics. Standard queues keep ready messages in
 * per-group lanes served round-robin (fair queues; one lane when no group ids are used). FIFO
 * queues keep every undeleted message in its group until deleted, so a group with a message in
 * flight is locked and redelivery keeps order.
 */
export class MemoryQueue {
  readonly name: string;
  readonly config: QueueConfig;
  readonly createdAt: number;
  readonly #clock: Clock;
  readonly #lookup: QueueLookup;
  readonly #incarnation = randomUUID().slice(0, 8);
  readonly #messages = new Map<number, StoredMessage>();
  readonly #ids = new MessageIds();
  #nextKey = 1;
  readonly #lanes = new Map<string, Deque<StoredMessage>>();
  readonly #laneRing = new Deque<string>();
  /** The last lane that ran empty, reused for the next new lane: a single lane empties on most receives. */
  #spareLane: Deque<StoredMessage> | undefined;
  readonly #groups = new Map<string, Deque<StoredMessage>>();
  readonly #groupsInFlight = new Map<string, number>();
  readonly #timers = new MinHeap<TimerEntry>();
  readonly #dedup = new Map<string, EnqueueResult & { expiresAt: number }>();
  #waiters: Waiter[] = [];
  readonly #returning: StoredMessage[] = [];
  #armedAt: number | undefined;
  #cancelArmed: (() => void) | undefined;
  #timerSeq = 0;
  #staleTimers = 0;
  #sequence = 0n;
  #lastPurgeAt = Number.NEGATIVE_INFINITY;
  #counts = { delayed: 0, ready: 0, inflight: 0 };

  constructor(name: string, config: QueueConfig, clock: Clock, lookup: QueueLookup) {
    this.name = name;
    this.config = config;
    this.#clock = clock;
    this.#lookup = lookup;
    this.createdAt = clock.now();
  }

  enqueue(input: EnqueueInput): EnqueueResult {
    const now = this.#clock.now();
    let dedupKey: string | undefined;
    if (this.config.fifo && input.deduplicationId !== undefined) {
      dedupKey =
        this.config.deduplicationScope === 'messageGroup'
          ? `${input.groupId}\u0000${input.deduplicationId}`
          : input.deduplicationId;
      const seen = this.#dedup.get(dedupKey);
      if (seen && seen.expiresAt > now)
        return seen.sequenceNumber !== undefined
          ? { messageId: seen.messageId, sequenceNumber: seen.sequenceNumber }
          : { messageId: seen.messageId };
    }
    const sequenceNumber = this.config.fifo ? this.#nextSequenceNumber() : undefined;
    const message = this.#newMessage(
      this.#ids.next(),
      input.body,
      input.attributes,
      input.groupId,
      input.deduplicationId,
      sequenceNumber,
      now,
    );
    this.#store(message, input.delaySeconds, now);
    const result: EnqueueResult =
      sequenceNumber !== undefined
        ? { messageId: message.messageId, sequenceNumber }
        : { messageId: message.messageId };
    if (dedupKey !== undefined) this.#remember(dedupKey, result, now);
    this.#wake();
    return result;
  }

  /** Takes in a message moved here by redrive: same id, body and attributes. */
  adopt(moved: StoredMessage): void {
    const now = this.#clock.now();
    const fifo = this.config.fifo;
    // FIFO dead-letter queues replace the deduplication id by the message id and reset the enqueue time (SQS).
    const message = this.#newMessage(
      moved.messageId,
      moved.body,
      moved.attributes,
      moved.groupId,
      fifo ? moved.messageId : moved.deduplicationId,
      fifo ? this.#nextSequenceNumber() : undefined,
      fifo ? now : moved.sentTimestamp,
    );
    message.receiveCount = moved.receiveCount;
    message.firstReceiveTimestamp = moved.firstReceiveTimestamp;
    this.#store(message, 0, now);
    this.#wake();
  }

  receive(request: DriverReceiveRequest, closeSignal: AbortSignal): Promise<DriverMessage[]> {
    const visibility = request.visibilityTimeoutSeconds ?? this.config.visibilityTimeoutSeconds;
    const taken = this.#take(request.maxMessages, visibility);
    if (taken.length > 0 || request.waitTimeSeconds === 0) return Promise.resolve(taken);
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        cancelDeadline();
        request.signal?.removeEventListener('abort', onAbort);
        closeSignal.removeEventListener('abort', onClose);
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        this.#arm();
      };
      const waiter: Waiter = {
        maxMessages: request.maxMessages,
        visibilityTimeoutSeconds: visibility,
        finish: (outcome) => {
          cleanup();
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        },
      };
      const onAbort = () => waiter.finish(new AbortedError('receive was aborted', { cause: request.signal?.reason }));
      const onClose = () => waiter.finish(new ClosedError('receive ended: the broker was closed'));
      const cancelDeadline = this.#clock.setTimer(request.waitTimeSeconds * 1000, () => waiter.finish([]));
      request.signal?.addEventListener('abort', onAbort, { once: true });
      closeSignal.addEventListener('abort', onClose, { once: true });
      this.#waiters.push(waiter);
      this.#arm();
    });
  }

  /** Deletes with the latest receipt handle; a stale or repeated delete is a no-op, as on SQS. */
  delete(receiptHandle: string): void {
    const { key, generation } = this.#parseHandle(receiptHandle);
    const message = this.#messages.get(key);
    if (!message || message.generation !== generation) return;
    this.#remove(message);
    if (this.config.fifo) this.#wake();
  }

  changeVisibility(receiptHandle: string, seconds: number): void {
    const { key, generation } = this.#parseHandle(receiptHandle);
    const message = this.#messages.get(key);
    if (!message) throw new ReceiptHandleIsInvalidError(`the message of this receipt handle was deleted`);
    if (message.generation !== generation) {
      throw new ReceiptHandleIsInvalidError('the receipt handle has expired: the message was received again since');
    }
    const now = this.#clock.now();
    this.#promote(now);
    if (message.state !== 'inflight') {
      throw new MessageNotInflightError('the message is not in flight: its visibility timeout already expired');
    }
    if (now + seconds * 1000 - message.receivedAt > LIMITS.visibilityTimeoutMaxSeconds * 1000) {
      throw new InvalidParameterError(
        `visibility timeout of ${seconds} s would exceed 12 hours from the receive; at most ${Math.floor(
          (message.receivedAt + LIMITS.visibilityTimeoutMaxSeconds * 1000 - now) / 1000,
        )} s remain`,
      );
    }
    this.#staleTimers++;
    if (seconds === 0) {
      this.#makeReady(message);
      this.#wake();
    } else {
      this.#schedule(message, now + seconds * 1000);
      this.#arm();
    }
  }

  purge(): void {
    const now = this.#clock.now();
    if (now - this.#lastPurgeAt < LIMITS.purgeCooldownSeconds * 1000) {
      throw new PurgeInProgressError(
        `queue "${this.name}" was purged less than ${LIMITS.purgeCooldownSeconds} s ago; wait before purging again`,
      );
    }
    this.#lastPurgeAt = now;
    for (const message of this.#messages.values()) message.state = 'gone';
    this.#messages.clear();
    this.#lanes.clear();
    this.#laneRing.clear();
    this.#groups.clear();
    this.#groupsInFlight.clear();
    this.#timers.clear();
    this.#staleTimers = 0;
    this.#counts = { delayed: 0, ready: 0, inflight: 0 };
  }

  stats(): QueueStats {
    const now = this.#clock.now();
    this.#promote(now);
    let oldest = now;
    for (const message of [...this.#messages.values()]) {
      if (message.expiresAt <= now) this.#remove(message);
      else oldest = Math.min(oldest, message.sentTimestamp);
    }
    return {
      visible: this.#counts.ready,
      inFlight: this.#counts.inflight,
      delayed: this.#counts.delayed,
      oldestMessageAgeSeconds: Math.floor((now - oldest) / 1000),
      createdAt: new Date(this.createdAt),
    };
  }

  /** Ends pending long polls: the queue was deleted. */
  dispose(): void {
    for (const waiter of [...this.#waiters]) {
      waiter.finish(new QueueDoesNotExistError(`queue "${this.name}" was deleted`));
    }
    this.#cancelArmed?.();
  }

  // ---- internals ----

  #nextSequenceNumber(): string {
    this.#sequence++;
    return this.#sequence.toString().padStart(20, '0');
  }

  #remember(key: string, result: EnqueueResult, now: number): void {
    // Insertion order is expiry order (one fixed window), so expired entries sit at the front.
    for (const [oldKey, entry] of this.#dedup) {
      if (entry.expiresAt > now) break;
      this.#dedup.delete(oldKey);
    }
    this.#dedup.set(key, { ...result, expiresAt: now + LIMITS.deduplicationWindowSeconds * 1000 });
  }

  #newMessage(
    messageId: string,
    body: string,
    attributes: MessageAttributes,
    groupId: string | undefined,
    deduplicationId: string | undefined,
    sequenceNumber: string | undefined,
    sentTimestamp: number,
  ): StoredMessage {
    return {
      key: this.#nextKey++,
      messageId,
      body,
      attributes,
      groupId,
      deduplicationId,
      sequenceNumber,
      sentTimestamp,
      expiresAt: sentTimestamp + this.config.retentionSeconds * 1000,
      state: 'gone',
      receiveCount: 0,
      firstReceiveTimestamp: 0,
      receivedAt: 0,
      generation: 0,
      timerToken: 0,
    };
  }

  /** Registers a new message: ready at once, or delayed by `delaySeconds`. */
  #store(message: StoredMessage, delaySeconds: number, now: number): void {
    this.#messages.set(message.key, message);
    if (this.config.fifo) {
      const group = message.groupId ?? '';
      const deque = this.#groups.get(group) ?? new Deque<StoredMessage>();
      if (deque.length === 0) this.#groups.set(group, deque);
      deque.push(message);
    }
    if (delaySeconds > 0) {
      this.#setState(message, 'delayed');
      this.#schedule(message, now + delaySeconds * 1000);
    } else {
      this.#makeReady(message);
    }
  }

  #setState(message: StoredMessage, state: MessageState): void {
    if (message.state !== 'gone') this.#counts[message.state]--;
    if (state !== 'gone') this.#counts[state]++;
    if (this.config.fifo && (message.state === 'inflight') !== (state === 'inflight')) {
      const group = message.groupId ?? '';
      const inFlight = (this.#groupsInFlight.get(group) ?? 0) + (state === 'inflight' ? 1 : -1);
      if (inFlight > 0) this.#groupsInFlight.set(group, inFlight);
      else this.#groupsInFlight.delete(group);
    }
    message.state = state;
  }

  #makeReady(message: StoredMessage): void {
    message.timerToken++;
    this.#setState(message, 'ready');
    if (this.config.fifo) return;
    const key = message.groupId ?? '';
    let lane = this.#lanes.get(key);
    if (!lane) {
      lane = this.#spareLane ?? new Deque();
      this.#spareLane = undefined;
      this.#lanes.set(key, lane);
      this.#laneRing.push(key);
    }
    lane.push(message);
  }

  #schedule(message: StoredMessage, at: number): void {
    message.timerToken++;
    this.#timers.push({ at, seq: this.#timerSeq++, message, token: message.timerToken });
    // Stale entries keep deleted messages alive; dropping them early keeps them out of the old generation.
    if (this.#staleTimers > 64 && this.#staleTimers * 2 > this.#timers.size) {
      this.#timers.retain((entry) => this.#isLive(entry));
      this.#staleTimers = 0;
    }
  }

  #isLive(entry: TimerEntry): boolean {
    const { message } = entry;
    return entry.token === message.timerToken && (message.state === 'delayed' || message.state === 'inflight');
  }

  /** Moves delayed messages and expired visibility timeouts that are due into the ready state. */
  #promote(now: number): void {
    for (let next = this.#timers.peek(); next && next.at <= now; next = this.#timers.peek()) {
      this.#timers.pop();
      if (this.#isLive(next)) this.#makeReady(next.message);
    }
  }

  #remove(message: StoredMessage): void {
    if (message.state === 'gone') return;
    if (message.state === 'delayed' || message.state === 'inflight') this.#staleTimers++;
    this.#setState(message, 'gone');
    this.#messages.delete(message.key);
    if (this.config.fifo) {
      const group = message.groupId ?? '';
      const deque = this.#groups.get(group);
      if (deque) {
        if (deque.peek() === message) deque.shift();
        else deque.remove((m) => m === message);
        if (deque.length === 0) this.#groups.delete(group);
      }
    }
    // A ready standard message stays in its lane and is skipped when the lane reaches it.
  }

  #take(maxMessages: number, visibilitySeconds: number): DriverMessage[] {
    const now = this.#clock.now();
    this.#promote(now);
    const out: DriverMessage[] = [];
    if (this.config.fifo) this.#takeFifo(maxMessages, visibilitySeconds, now, out);
    else this.#takeStandard(maxMessages, visibilitySeconds, now, out);
    if (this.#returning.length > 0) {
      for (const message of this.#returning) this.#makeReady(message);
      this.#returning.length = 0;
    }
    if (out.length > 0) this.#arm();
    return out;
  }

  #takeStandard(maxMessages: number, visibilitySeconds: number, now: number, out: DriverMessage[]): void {
    while (out.length < maxMessages) {
      const key = this.#laneRing.shift();
      if (key === undefined) return;
      const lane = this.#lanes.get(key) as Deque<StoredMessage>;
      // Round-robin across groups: one message per lane per turn; a lone lane is served in one go.
      const turn = this.#laneRing.length === 0 ? maxMessages : out.length + 1;
      while (out.length < turn && lane.length > 0) {
        const message = lane.shift() as StoredMessage;
        if (message.state === 'ready') this.#deliverOrDeadLetter(message, visibilitySeconds, now, out);
      }
      if (lane.length > 0) this.#laneRing.push(key);
      else {
        this.#lanes.delete(key);
        this.#spareLane = lane;
      }
    }
  }

  #takeFifo(maxMessages: number, visibilitySeconds: number, now: number, out: DriverMessage[]): void {
    for (const [group, deque] of [...this.#groups]) {
      if (out.length >= maxMessages) return;
      if (this.#groupsInFlight.has(group)) continue;
      for (const message of [...deque]) {
        if (out.length >= maxMessages || message.state !== 'ready') break;
        this.#deliverOrDeadLetter(message, visibilitySeconds, now, out);
      }
    }
  }

  #deliverOrDeadLetter(message: StoredMessage, visibilitySeconds: number, now: number, out: DriverMessage[]): void {
    if (message.expiresAt <= now) {
      this.#remove(message);
      return;
    }
    const deadLetter = this.config.deadLetter;
    if (deadLetter && message.receiveCount >= deadLetter.maxReceiveCount) {
      const dlq = this.#lookup(deadLetter.queue);
      if (dlq) {
        this.#remove(message);
        dlq.adopt(message);
        return;
      }
    }
    message.receiveCount++;
    message.generation++;
    message.receivedAt = now;
    if (message.receiveCount === 1) message.firstReceiveTimestamp = now;
    if (visibilitySeconds === 0) {
      // Visible again at once: it stays ready and its current receipt handle remains valid. It goes
      // back to its lane after this receive, so one receive never returns it twice.
      if (!this.config.fifo) this.#returning.push(message);
    } else {
      this.#setState(message, 'inflight');
      this.#schedule(message, now + visibilitySeconds * 1000);
    }
    out.push(this.#toDriverMessage(message));
  }

  #toDriverMessage(message: StoredMessage): DriverMessage {
    const out: Delivery = {
      messageId: message.messageId,
      receiptHandle: `${this.#incarnation}.${message.generation}.${message.key}`,
      body: message.body,
      attributes: copyAttributes(message.attributes),
      receiveCount: message.receiveCount,
      sentTimestamp: message.sentTimestamp,
      firstReceiveTimestamp: message.firstReceiveTimestamp,
    };
    // Optional fields are absent rather than undefined, as on the other transports.
    if (message.groupId !== undefined) out.groupId = message.groupId;
    if (message.deduplicationId !== undefined) out.deduplicationId = message.deduplicationId;
    if (message.sequenceNumber !== undefined) out.sequenceNumber = message.sequenceNumber;
    return out;
  }

  #parseHandle(receiptHandle: string): { key: number; generation: number } {
    const incarnation = this.#incarnation;
    // Fast path for handles as this queue issues them; anything else takes the general parse below.
    if (receiptHandle.charCodeAt(incarnation.length) === DOT && receiptHandle.startsWith(incarnation)) {
      const dot = receiptHandle.indexOf('.', incarnation.length + 1);
      const generation = parseDigits(receiptHandle, incarnation.length + 1, dot);
      const key = parseDigits(receiptHandle, dot + 1, receiptHandle.length);
      if (dot > 0 && generation >= 1 && key >= 0) return { key, generation };
    }
    const first = receiptHandle.indexOf('.');
    const second = receiptHandle.indexOf('.', first + 1);
    const generation = Number(receiptHandle.slice(first + 1, second));
    const key = Number(receiptHandle.slice(second + 1));
    if (first < 0 || second < 0 || !Number.isSafeInteger(generation) || generation < 1 || !Number.isSafeInteger(key)) {
      throw new ReceiptHandleIsInvalidError(
        `"${receiptHandle.slice(0, 40)}" is not a receipt handle of this transport`,
      );
    }
    if (receiptHandle.slice(0, first) !== this.#incarnation) {
      throw new ReceiptHandleIsInvalidError(`the receipt handle does not belong to queue "${this.name}"`);
    }
    return { key, generation };
  }

  /** Serves waiting long polls in arrival order while messages are available. */
  #wake(): void {
    while (this.#waiters.length > 0) {
      const waiter = this.#waiters[0] as Waiter;
      const taken = this.#take(waiter.maxMessages, waiter.visibilityTimeoutSeconds);
      if (taken.length === 0) break;
      waiter.finish(taken);
    }
    this.#arm();
  }

  /** Keeps one clock timer at the next due delay or visibility expiry while someone is waiting. */
  #arm(): void {
    if (this.#waiters.length === 0) {
      this.#cancelArmed?.();
      this.#cancelArmed = undefined;
      this.#armedAt = undefined;
      return;
    }
    let next = this.#timers.peek();
    while (next && !this.#isLive(next)) {
      this.#timers.pop();
      next = this.#timers.peek();
    }
    if (!next || next.at === this.#armedAt) return;
    this.#cancelArmed?.();
    this.#armedAt = next.at;
    this.#cancelArmed = this.#clock.setTimer(next.at - this.#clock.now(), () => {
      this.#cancelArmed = undefined;
      this.#armedAt = undefined;
      this.#wake();
    });
  }
}

const DOT = 0x2e;

/** The plain decimal number in `text[start, end)`: at most 15 ASCII digits, or -1. */
function parseDigits(text: string, start: number, end: number): number {
  if (end <= start || end - start > 15) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Each delivery gets its own attribute objects, so a handler's changes never reach the stored message. */
function copyAttributes(attributes: MessageAttributes): MessageAttributes {
  let copy: Record<string, MessageAttributes[string]> | undefined;
  for (const name in attributes) {
    copy ??= {};
    const value = attributes[name] as MessageAttributes[string];
    copy[name] = value.binaryValue
      ? { dataType: value.dataType, binaryValue: value.binaryValue.slice() }
      : { ...value };
  }
  return copy ?? {};
}

/**
 * Message ids shaped like SQS's (UUIDs): a random prefix per queue and a counter, unique within the
 * process without a random draw per message.
 */
class MessageIds {
  readonly #prefix = randomUUID().slice(0, 24);
  #counter = Math.floor(Math.random() * 0x1_0000_0000);
  // The id up to its last three hex digits, which change only every 4096 ids.
  #high = -1;
  #head = '';

  next(): string {
    const counter = ++this.#counter;
    const high = Math.floor(counter / 4096);
    if (high !== this.#high) {
      this.#high = high;
      this.#head = this.#prefix + high.toString(16).padStart(9, '0');
    }
    return this.#head + (LOW_HEX_DIGITS[counter % 4096] as string);
  }
}

const LOW_HEX_DIGITS = Array.from({ length: 4096 }, (_, i) => i.toString(16).padStart(3, '0'));
