import type { MessageGroup, MessageGroups } from './message-group.js';
import { type MessageTable, READY } from './message-table.js';
import { NONE } from './slot-chain.js';
import { workCounts } from './work-counts.js';

/**
 * A FIFO queue's messages by message group, each group in send order until deleted. A group with a
 * message in flight is locked: nothing more of it is delivered until that message is deleted or
 * visible again, so redelivery keeps the order (SQS FIFO). Groups that can deliver — unlocked, first
 * message ready — wait in a ring, so a receive goes straight to them, however many groups are locked.
 */
export class FifoGroups {
  readonly #groups: MessageGroups;
  readonly #table: MessageTable;

  constructor(groups: MessageGroups, table: MessageTable) {
    this.#groups = groups;
    this.#table = table;
  }

  add(slot: number, group: MessageGroup): void {
    group.push(slot);
    this.refresh(group);
  }

  remove(slot: number, group: MessageGroup): void {
    group.remove(slot);
    this.refresh(group);
  }

  /** Puts the group in the ring or takes it out, after its lock or first message changed. */
  refresh(group: MessageGroup): void {
    if (group.inFlight === 0 && group.head !== NONE && this.#table.state(group.head) === READY) {
      this.#groups.enterRing(group);
    } else {
      this.#groups.leaveRing(group);
    }
  }

  /**
   * Offers ready messages as SQS serves FIFO queues: filling from one group before the next, each
   * group in order up to its first message not ready. Each group of the ring is visited at most once.
   */
  serve(max: number, taken: { readonly length: number }, take: (slot: number) => void): void {
    let visits = this.#groups.ringSize;
    for (let group = this.#groups.firstInRing(); group !== undefined && visits > 0 && taken.length < max; visits--) {
      workCounts.groupVisits++;
      // Taking messages changes only this group's place in the ring.
      const following = this.#groups.nextInRing(group);
      let slot = group.head;
      while (slot !== NONE && taken.length < max && this.#table.state(slot) === READY) {
        workCounts.messageVisits++;
        const next = group.after(slot);
        take(slot);
        slot = next;
      }
      group = following;
    }
  }
}
