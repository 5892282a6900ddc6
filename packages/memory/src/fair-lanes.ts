import type { MessageGroup, MessageGroups } from './message-group.js';
import { workCounts } from './work-counts.js';

/**
 * The ready messages of a standard queue, in one lane per message group served round-robin: SQS
 * fair queues, where one noisy tenant cannot starve the rest. Without group ids there is one lane,
 * served in order. A lane holds exactly its ready messages; a lane with any is in the ring.
 */
export class FairLanes {
  readonly #groups: MessageGroups;

  constructor(groups: MessageGroups) {
    this.#groups = groups;
  }

  /** A message became ready: it joins the end of its lane. */
  push(slot: number, lane: MessageGroup): void {
    lane.push(slot);
    this.#groups.enterRing(lane);
  }

  /** A ready message leaves its lane (received, deleted, expired). */
  remove(slot: number, lane: MessageGroup): void {
    lane.remove(slot);
    if (lane.length === 0) this.#groups.leaveRing(lane);
  }

  /**
   * Offers ready messages to `take` one lane at a time — one message per lane per turn, a lone lane
   * all at once — until `taken` holds `max` or the lanes run dry. `take` must take the message out
   * of its lane, delivering it or not (it moved to the dead-letter queue).
   */
  serve(max: number, taken: { readonly length: number }, take: (slot: number) => void): void {
    while (taken.length < max) {
      const lane = this.#groups.firstInRing();
      if (lane === undefined) return;
      workCounts.groupVisits++;
      const turn = this.#groups.ringSize === 1 ? max : taken.length + 1;
      while (taken.length < turn && lane.length > 0) {
        workCounts.messageVisits++;
        take(lane.head);
      }
      this.#groups.rotate(lane);
    }
  }
}
