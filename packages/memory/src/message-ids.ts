import { randomUUID } from 'node:crypto';

const LOW_HEX_DIGITS = Array.from({ length: 4096 }, (_, i) => i.toString(16).padStart(3, '0'));

/**
 * Message ids shaped like SQS's (UUIDs): a random prefix per queue and a counter, unique within the
 * process without a random draw per message. A queue stores the counter value (a number) and
 * formats the id when it hands it out, so a stored message holds no id string.
 */
export class MessageIds {
  readonly #prefix = randomUUID().slice(0, 24);
  #counter = Math.floor(Math.random() * 0x1_0000_0000);
  // The text of an id up to its last three hex digits, which change only every 4096 ids: the last
  // two in use (sends format new ids while receives format older ones).
  #highA = -1;
  #headA = '';
  #highB = -1;
  #headB = '';

  /** A new id, as its number. */
  next(): number {
    return ++this.#counter;
  }

  /** The id `number` as text. */
  format(number: number): string {
    const high = Math.floor(number / 4096);
    // Not `number % 4096`: the numbers pass 2^31, where `%` is a floating-point remainder.
    const low = LOW_HEX_DIGITS[(number - high * 4096) | 0] as string;
    if (high === this.#highA) return this.#headA + low;
    if (high !== this.#highB) {
      this.#highB = high;
      this.#headB = this.#prefix + high.toString(16).padStart(9, '0');
    }
    // The head just used moves to the front.
    const head = this.#headB;
    this.#highB = this.#highA;
    this.#headB = this.#headA;
    this.#highA = high;
    this.#headA = head;
    return head + low;
  }
}

/** FIFO sequence numbers: 20 digits, growing per queue or topic, as SQS and SNS give them. */
export class SequenceNumbers {
  /** A number, not a bigint: exact up to 2^53, more sequence numbers than a process can hand out. */
  #last = 0;

  next(): string {
    this.#last++;
    return String(this.#last).padStart(20, '0');
  }
}
