import type { MessageAttributes } from '@msgport/core/driver';
import type { MessageIds } from './message-ids.js';
import { grownCapacity, NONE, SlotLinks } from './slot-chain.js';

/** Where a message is. A free slot holds no message. */
export const FREE = 0;
export const DELAYED = 1;
export const READY = 2;
export const IN_FLIGHT = 3;
export type MessageState = typeof FREE | typeof DELAYED | typeof READY | typeof IN_FLIGHT;

// Each slot is one record of 96 bytes: seven numbers of 8 bytes, then ten integers of 4 bytes,
// so a message's fields share a cache line or two. Indexes within a record:
const FLOATS = 12;
const INTS = 24;
const ID = 0;
const SENT = 1;
const FIRST_RECEIVE = 2;
const RECEIVED = 3;
const DUE = 4;
const BIRTH = 5;
const GENERATION = 6;
const GROUP = 14;
const TIMER_LIST = 15;
const RECEIVE_COUNT = 16;
const STATE = 17;
const GROUP_PREV = 18;
const GROUP_NEXT = 19;
const TIMER_PREV = 20;
const TIMER_NEXT = 21;
const AGE_PREV = 22;
const AGE_NEXT = 23;

// The records of a table without slots: shared, as they are never written.
const NO_FLOATS = new Float64Array(0);
const NO_INTS = new Int32Array(0);

/** A table with more slots than this is dropped when it empties, returning its memory. */
const KEEP_EMPTY_SLOTS = 1_024;

/**
 * A queue's messages, one record ("slot") per message: its numbers in one typed buffer (96 bytes a
 * message, unboxed), its strings in plain arrays, and no object per message for the garbage
 * collector. Freed slots are reused (last freed first) and drop their strings at once, so a deleted
 * message's body is released as soon as it is deleted.
 */
export class MessageTable {
  /** Links of the ready lanes (standard queues) or message groups (FIFO queues). */
  readonly groupLinks = new SlotLinks(INTS, GROUP_PREV, GROUP_NEXT);
  /** Links of the timer lists: delayed and in-flight messages. */
  readonly timerLinks = new SlotLinks(INTS, TIMER_PREV, TIMER_NEXT);
  /** Links of the send-order chain behind the oldest-message index. */
  readonly ageLinks = new SlotLinks(INTS, AGE_PREV, AGE_NEXT);
  readonly #fifo: boolean;
  readonly #ids: MessageIds;
  #capacity = 0;
  #used = 0;
  #size = 0;
  #free: number[] = [];
  /** Ids of messages that came from another queue (dead-letter moves) and keep their id there. */
  readonly #foreignIds = new Map<number, string>();
  #bodies: (string | undefined)[] = [];
  #attributes: (MessageAttributes | undefined)[] = [];
  // FIFO queues only.
  #deduplicationIds: (string | undefined)[] = [];
  #sequenceNumbers: (string | undefined)[] = [];
  #floats = NO_FLOATS;
  /** The same buffer as `#floats`. */
  #ints = NO_INTS;

  constructor(fifo: boolean, ids: MessageIds) {
    this.#fifo = fifo;
    this.#ids = ids;
  }

  /** Messages held. */
  get size(): number {
    return this.#size;
  }

  /**
   * Stores a new message in a free slot, in no state yet (`FREE`), never received, and returns the
   * slot. `messageId`: a number from the queue's `MessageIds`, or the id a moved message keeps.
   * `birth` is unique within the queue, from the same counter as receive generations.
   */
  add(
    messageId: number | string,
    body: string,
    attributes: MessageAttributes,
    groupIndex: number,
    birth: number,
    sentTimestamp: number,
  ): number {
    const slot = this.#free.length > 0 ? (this.#free.pop() as number) : this.#newSlot();
    const floats = this.#floats;
    const ints = this.#ints;
    const at = slot * FLOATS;
    if (typeof messageId === 'number') {
      floats[at + ID] = messageId;
    } else {
      floats[at + ID] = Number.NaN;
      this.#foreignIds.set(slot, messageId);
    }
    this.#bodies[slot] = body;
    this.#attributes[slot] = attributes;
    floats[at + SENT] = sentTimestamp;
    floats[at + BIRTH] = birth;
    floats[at + GENERATION] = birth;
    floats[at + FIRST_RECEIVE] = 0;
    ints[slot * INTS + GROUP] = groupIndex;
    ints[slot * INTS + TIMER_LIST] = NONE;
    ints[slot * INTS + RECEIVE_COUNT] = 0;
    this.#size++;
    return slot;
  }

  /** A FIFO message's deduplication id and sequence number. */
  setFifoIds(slot: number, deduplicationId: string | undefined, sequenceNumber: string): void {
    this.#deduplicationIds[slot] = deduplicationId;
    this.#sequenceNumbers[slot] = sequenceNumber;
  }

  /** Carries over the receives of a message moved from another queue. */
  setReceives(slot: number, receiveCount: number, firstReceiveTimestamp: number): void {
    this.#ints[slot * INTS + RECEIVE_COUNT] = receiveCount;
    this.#floats[slot * FLOATS + FIRST_RECEIVE] = firstReceiveTimestamp;
  }

  /** Frees `slot` (already out of every chain) and drops its strings. */
  release(slot: number): void {
    this.#ints[slot * INTS + STATE] = FREE;
    if (this.#foreignIds.size > 0) this.#foreignIds.delete(slot);
    this.#bodies[slot] = undefined;
    this.#attributes[slot] = undefined;
    if (this.#fifo) {
      this.#deduplicationIds[slot] = undefined;
      this.#sequenceNumbers[slot] = undefined;
    }
    this.#free.push(slot);
    this.#size--;
    if (this.#size === 0 && this.#capacity > KEEP_EMPTY_SLOTS) this.clear();
  }

  /** Drops every message and the memory of every slot. */
  clear(): void {
    this.#capacity = 0;
    this.#used = 0;
    this.#size = 0;
    this.#free = [];
    this.#foreignIds.clear();
    this.#bodies = [];
    this.#attributes = [];
    this.#deduplicationIds = [];
    this.#sequenceNumbers = [];
    this.#resize(0);
  }

  /** Records a receive: the count, the first and latest receive times and the new generation. */
  received(slot: number, now: number, generation: number): void {
    const count = (this.#ints[slot * INTS + RECEIVE_COUNT] as number) + 1;
    const at = slot * FLOATS;
    this.#ints[slot * INTS + RECEIVE_COUNT] = count;
    if (count === 1) this.#floats[at + FIRST_RECEIVE] = now;
    this.#floats[at + RECEIVED] = now;
    this.#floats[at + GENERATION] = generation;
  }

  /** The state of `slot`; `FREE` for a slot the table does not have (any more). */
  state(slot: number): MessageState {
    return (this.#ints[slot * INTS + STATE] ?? FREE) as MessageState;
  }

  setState(slot: number, state: MessageState): void {
    this.#ints[slot * INTS + STATE] = state;
  }

  messageId(slot: number): string {
    const number = this.#floats[slot * FLOATS + ID] as number;
    return Number.isNaN(number) ? (this.#foreignIds.get(slot) as string) : this.#ids.format(number);
  }

  body(slot: number): string {
    return this.#bodies[slot] as string;
  }

  attributes(slot: number): MessageAttributes {
    return this.#attributes[slot] as MessageAttributes;
  }

  /** The index of the message's group in the queue's `MessageGroups`. */
  groupIndex(slot: number): number {
    return this.#ints[slot * INTS + GROUP] as number;
  }

  deduplicationId(slot: number): string | undefined {
    return this.#deduplicationIds[slot];
  }

  sequenceNumber(slot: number): string | undefined {
    return this.#sequenceNumbers[slot];
  }

  sentTimestamp(slot: number): number {
    return this.#floats[slot * FLOATS + SENT] as number;
  }

  receiveCount(slot: number): number {
    return this.#ints[slot * INTS + RECEIVE_COUNT] as number;
  }

  firstReceiveTimestamp(slot: number): number {
    return this.#floats[slot * FLOATS + FIRST_RECEIVE] as number;
  }

  receivedAt(slot: number): number {
    return this.#floats[slot * FLOATS + RECEIVED] as number;
  }

  birth(slot: number): number {
    return this.#floats[slot * FLOATS + BIRTH] as number;
  }

  /** Which receive the current receipt handle names (the birth until the first receive). */
  generation(slot: number): number {
    return this.#floats[slot * FLOATS + GENERATION] as number;
  }

  /** The id of the timer list holding `slot` (delayed or in flight), or `NONE`. */
  timerListId(slot: number): number {
    return this.#ints[slot * INTS + TIMER_LIST] as number;
  }

  dueAt(slot: number): number {
    return this.#floats[slot * FLOATS + DUE] as number;
  }

  setTimer(slot: number, listId: number, dueAt: number): void {
    this.#ints[slot * INTS + TIMER_LIST] = listId;
    this.#floats[slot * FLOATS + DUE] = dueAt;
  }

  #newSlot(): number {
    if (this.#used === this.#capacity) this.#resize(grownCapacity(this.#capacity));
    const slot = this.#used++;
    this.#bodies.push(undefined);
    this.#attributes.push(undefined);
    if (this.#fifo) {
      this.#deduplicationIds.push(undefined);
      this.#sequenceNumbers.push(undefined);
    }
    return slot;
  }

  /** Moves the records to a buffer for `capacity` slots; new slots are free and in no chain. */
  #resize(capacity: number): void {
    const buffer = new ArrayBuffer(capacity * FLOATS * 8);
    const floats = new Float64Array(buffer);
    const ints = new Int32Array(buffer);
    ints.set(this.#ints.subarray(0, Math.min(this.#ints.length, ints.length)));
    for (let at = this.#capacity * INTS; at < ints.length; at += INTS) {
      ints[at + GROUP_PREV] = NONE;
      ints[at + GROUP_NEXT] = NONE;
      ints[at + TIMER_PREV] = NONE;
      ints[at + TIMER_NEXT] = NONE;
      ints[at + AGE_PREV] = NONE;
      ints[at + AGE_NEXT] = NONE;
    }
    this.#capacity = capacity;
    this.#floats = floats;
    this.#ints = ints;
    for (const links of [this.groupLinks, this.timerLinks, this.ageLinks]) links.ints = ints;
  }
}
