/**
 * Key layout. Every key of one queue (or topic) shares one hash tag, `{q:<name>}` (`{t:<name>}`),
 * so each Lua script touches a single Redis Cluster slot. Names are percent-encoded before they
 * become part of a key: only `[A-Za-z0-9_.-]` stays as it is, every other UTF-8 byte (including
 * `{`, `}`, `:`, `%` and anything non-ASCII) becomes `%XX`. The encoding is injective and never
 * produces `{`, `}` or `:`, so no name can open a second hash tag or collide with another key.
 * The Lua scripts encode group and deduplication ids with the same rule (see `scripts/lib.ts`).
 */

import { InvalidParameterError } from '@msgport/core/driver';

const KEEP = /^[A-Za-z0-9_.-]$/;

/** Percent-encodes every byte outside `[A-Za-z0-9_.-]` (upper-case hex), byte for byte as the Lua `enc`. */
export function encodeKeyPart(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && KEEP.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function decodeKeyPart(encoded: string): string {
  return decodeURIComponent(encoded);
}

/** Per-queue keys, in the order the Lua scripts expect them (see `queue_at` in `scripts/lib.ts`). */
export const QUEUE_KEY_NAMES = [
  'cfg', // HASH: config JSON, incarnation, created, purge time, counters
  'msg', // HASH: key → "rc:firstReceive:receivedAt:sent:state:seq:adopted:glen:" group envelope
  'exp', // ZSET: key → retention deadline (ms); the index of every stored message
  'ready', // ZSET: standard queues, group → fair-queue tag of its lane's head (lanes: LIST `r:<group>`)
  'delayed', // ZSET: key → due time (ms)
  'inflight', // ZSET: key → visibility deadline (ms)
  'groups', // ZSET: FIFO, available group → group order
  'gorder', // HASH: FIFO, group → group order (while the group has messages)
  'glock', // HASH: FIFO, group → messages in flight
  'wake', // LIST: wake-up marker for long polls
  'seq', // STRING: FIFO sequence numbers
  'out', // ZSET: id → retry time of a dead-letter hand-off to a queue on another slot
  'adopted', // ZSET: id → time, ids taken in from another slot (idempotent hand-off)
] as const;

export type QueueKeyName = (typeof QUEUE_KEY_NAMES)[number];

export const TOPIC_KEY_NAMES = ['cfg', 'subs', 'seq'] as const;

export interface KeySpace {
  /** Hash tag content of a queue, e.g. `q:orders`. */
  queueTag(name: string): string;
  /** All keys of a queue, ordered as `QUEUE_KEY_NAMES` (one shared array per name: do not change it). */
  queueKeys(name: string): readonly string[];
  queueKey(name: string, key: QueueKeyName): string;
  topicTag(name: string): string;
  topicKeys(name: string): string[];
  /** Set of queue names (registry for listQueues). */
  readonly queueRegistry: string;
  readonly topicRegistry: string;
}

/** Checks a user-chosen key prefix: braces would change the hash tag of every key. */
export function assertKeyPrefix(prefix: string): void {
  if (prefix.includes('{') || prefix.includes('}')) {
    throw new InvalidParameterError(
      `the key prefix "${prefix}" must not contain "{" or "}" (they would change the hash tag)`,
    );
  }
}

/** Queue names whose keys are kept built (every call of a queue passes all 13 keys to its script). */
const KEPT_QUEUES = 1000;

export function createKeySpace(prefix: string): KeySpace {
  assertKeyPrefix(prefix);
  const queueTag = (name: string) => `q:${encodeKeyPart(name)}`;
  const topicTag = (name: string) => `t:${encodeKeyPart(name)}`;
  const queueKey = (name: string, key: QueueKeyName) => `${prefix}{${queueTag(name)}}:${key}`;
  const built = new Map<string, readonly string[]>();
  return {
    queueTag,
    queueKey,
    queueKeys: (name) => {
      let keys = built.get(name);
      if (!keys) {
        if (built.size >= KEPT_QUEUES) built.clear();
        keys = Object.freeze(QUEUE_KEY_NAMES.map((key) => queueKey(name, key)));
        built.set(name, keys);
      }
      return keys;
    },
    topicTag,
    topicKeys: (name) => TOPIC_KEY_NAMES.map((key) => `${prefix}{${topicTag(name)}}:${key}`),
    queueRegistry: `${prefix}queues`,
    topicRegistry: `${prefix}topics`,
  };
}
