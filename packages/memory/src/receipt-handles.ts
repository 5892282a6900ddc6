import { randomBytes } from 'node:crypto';
import { ReceiptHandleIsInvalidError } from '@msgport/core/driver';

/** Which receive of which message a receipt handle names. */
export interface HandleTarget {
  slot: number;
  generation: number;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const CODES = Array.from(ALPHABET, (char) => char.charCodeAt(0));
/** The 6-bit value of each character code of the alphabet; -1 for any other. */
const VALUES = new Int8Array(128).fill(-1);
for (const [value, code] of CODES.entries()) VALUES[code] = value;

const INCARNATION_CHARS = 8;
/** 9 characters of 6 bits: generations up to 2^54 (they stay below 2^53). */
const GENERATION_CHARS = 9;
/** 5 characters of 6 bits: slots below 2^30. */
const SLOT_CHARS = 5;
const LENGTH = INCARNATION_CHARS + GENERATION_CHARS + SLOT_CHARS;
const LOW_BITS = 2 ** 30;

/**
 * Receipt handles of one queue: 22 URL-safe base64 characters — a random incarnation, the
 * generation, the slot. The incarnation is random per queue, so a handle of another queue (or of a
 * deleted queue of the same name) never matches; the generation is unique per receive within the
 * queue, so only the latest handle of a message is current. Fixed width and made with one
 * `String.fromCharCode`, so formatting and parsing allocate nothing but the handle itself.
 */
export class ReceiptHandles {
  readonly #incarnation: number[];
  readonly #queue: string;
  /** What `parse` returns, reused: parsing a handle allocates nothing. */
  readonly #target: HandleTarget = { slot: 0, generation: 0 };

  constructor(queue: string) {
    this.#queue = queue;
    this.#incarnation = Array.from(randomBytes(INCARNATION_CHARS), (byte) => CODES[byte & 63] as number);
  }

  format(slot: number, generation: number): string {
    const i = this.#incarnation as [number, number, number, number, number, number, number, number];
    const high = Math.floor(generation / LOW_BITS);
    const low = generation - high * LOW_BITS;
    return String.fromCharCode(
      i[0],
      i[1],
      i[2],
      i[3],
      i[4],
      i[5],
      i[6],
      i[7],
      code(high >>> 18),
      code(high >>> 12),
      code(high >>> 6),
      code(high),
      code(low >>> 24),
      code(low >>> 18),
      code(low >>> 12),
      code(low >>> 6),
      code(low),
      code(slot >>> 24),
      code(slot >>> 18),
      code(slot >>> 12),
      code(slot >>> 6),
      code(slot),
    );
  }

  /**
   * The target of `receiptHandle` (valid until the next call); `ReceiptHandleIsInvalid` when it is
   * not one of this queue's.
   */
  parse(receiptHandle: string): HandleTarget {
    const generation =
      receiptHandle.length === LENGTH ? decode(receiptHandle, INCARNATION_CHARS, GENERATION_CHARS) : -1;
    const slot = generation >= 1 ? decode(receiptHandle, INCARNATION_CHARS + GENERATION_CHARS, SLOT_CHARS) : -1;
    if (slot < 0) {
      throw new ReceiptHandleIsInvalidError(
        `"${receiptHandle.slice(0, 40)}" is not a receipt handle of this transport`,
      );
    }
    const incarnation = this.#incarnation;
    for (let i = 0; i < INCARNATION_CHARS; i++) {
      if (receiptHandle.charCodeAt(i) !== incarnation[i]) {
        throw new ReceiptHandleIsInvalidError(`the receipt handle does not belong to queue "${this.#queue}"`);
      }
    }
    const target = this.#target;
    target.slot = slot;
    target.generation = generation;
    return target;
  }
}

function code(value: number): number {
  return CODES[value & 63] as number;
}

/** The number in `length` base64 characters of `text` from `start`, or -1 if one is not in the alphabet. */
function decode(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const digit = VALUES[text.charCodeAt(i)] ?? -1;
    if (digit < 0) return -1;
    value = value * 64 + digit;
  }
  return value;
}
