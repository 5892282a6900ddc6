import { grownCapacity, NONE, SlotChain, SlotLinks } from './slot-chain.js';

/** Index space larger than this is dropped when the last group goes. */
const KEEP_EMPTY_INDEXES = 1_024;

/**
 * The messages of one message group, chained in order: a FIFO group's undeleted messages, or a
 * standard queue's ready messages of one fair-queue tenant (the group without id: no `groupId`).
 */
export class MessageGroup extends SlotChain {
  readonly id: string | undefined;
  /** The group's index in `MessageGroups`: its place in the ring. */
  readonly index: number;
  /** Undeleted messages of the group in any state; the group is dropped when none is left. */
  members = 0;
  /** Messages in flight: a FIFO group is locked while any is. */
  inFlight = 0;
  inRing = false;

  constructor(id: string | undefined, index: number, links: SlotLinks) {
    super(links);
    this.id = id;
    this.index = index;
  }
}

/**
 * A queue's message groups by id, and the ring of groups that have something to deliver, served
 * round-robin. A group lives while it has members; groups enter and leave the ring in O(1).
 */
export class MessageGroups {
  readonly #messageLinks: SlotLinks;
  readonly #byId = new Map<string | undefined, MessageGroup>();
  #byIndex: (MessageGroup | undefined)[] = [];
  #freeIndexes: number[] = [];
  readonly #ringLinks = new SlotLinks(2, 0, 1);
  readonly #ring = new SlotChain(this.#ringLinks);
  #noId: MessageGroup | undefined;

  /** `messageLinks`: the table's links the groups chain their messages with. */
  constructor(messageLinks: SlotLinks) {
    this.#messageLinks = messageLinks;
  }

  /** Groups in the ring. */
  get ringSize(): number {
    return this.#ring.length;
  }

  /** The group `id`, created when it has no members yet; counts one more member. */
  join(id: string | undefined): MessageGroup {
    // The group without id (most standard queues' only one) is kept at hand: no lookup.
    let group = id === undefined ? this.#noId : this.#byId.get(id);
    if (group === undefined) {
      const index = this.#freeIndexes.length > 0 ? (this.#freeIndexes.pop() as number) : this.#newIndex();
      group = new MessageGroup(id, index, this.#messageLinks);
      this.#byId.set(id, group);
      this.#byIndex[index] = group;
      if (id === undefined) this.#noId = group;
    }
    group.members++;
    return group;
  }

  /**
   * Counts one member less; a group without members leaves the ring and is dropped — except the
   * group without id, which most queues use for every message and would otherwise remake each time.
   */
  leave(group: MessageGroup): void {
    if (--group.members > 0 || group.id === undefined) return;
    this.leaveRing(group);
    this.#byId.delete(group.id);
    this.#byIndex[group.index] = undefined;
    this.#freeIndexes.push(group.index);
    if (this.#byIndex.length > KEEP_EMPTY_INDEXES && this.#byId.size <= 1 && !this.#byId.get(undefined)?.members) {
      this.clear();
    }
  }

  enterRing(group: MessageGroup): void {
    if (group.inRing) return;
    group.inRing = true;
    this.#ring.push(group.index);
  }

  leaveRing(group: MessageGroup): void {
    if (!group.inRing) return;
    group.inRing = false;
    this.#ring.remove(group.index);
  }

  /** Moves a group of the ring to its end: it had its turn. */
  rotate(group: MessageGroup): void {
    if (!group.inRing || this.#ring.tail === group.index) return;
    this.#ring.remove(group.index);
    this.#ring.push(group.index);
  }

  firstInRing(): MessageGroup | undefined {
    return this.#at(this.#ring.head);
  }

  /** The group after `group` in the ring (which `group` must be in), or `undefined` at the end. */
  nextInRing(group: MessageGroup): MessageGroup | undefined {
    return this.#at(this.#ring.after(group.index));
  }

  clear(): void {
    this.#noId = undefined;
    this.#byId.clear();
    this.#byIndex = [];
    this.#freeIndexes = [];
    this.#ringLinks.reset();
    this.#ring.clear();
  }

  /** The group at `index` (a message's group index). */
  at(index: number): MessageGroup {
    return this.#byIndex[index] as MessageGroup;
  }

  #at(index: number): MessageGroup | undefined {
    return index === NONE ? undefined : this.#byIndex[index];
  }

  #newIndex(): number {
    const index = this.#byIndex.length;
    if (index >= this.#ringLinks.capacity) this.#ringLinks.resize(grownCapacity(index));
    this.#byIndex.push(undefined);
    return index;
  }
}
