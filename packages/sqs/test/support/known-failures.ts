/**
 * Conformance cases that cannot pass on fauxqs 1.9.2 (or on SQS at all), with the reason. Each is
 * also listed in docs/transports/sqs-sns.md. See support/conformance.ts for how they are run.
 */
import type { KnownFailure, KnownFailures } from './fauxqs.js';

const fauxqs = (reason: string): KnownFailure => ({ kind: 'fauxqs', reason });

export const NON_BMP_BODY = fauxqs(
  'rejects bodies with characters above U+FFFF (emoji) as InvalidMessageContents; SQS allows #x10000–#x10FFFF',
);
export const BINARY_SIZE = fauxqs('counts a Binary attribute by the length of its base64 text, not its bytes');
export const ONE_PER_GROUP = fauxqs('returns at most one message per FIFO group per receive');
export const DEDUP_SCOPE = fauxqs('ignores DeduplicationScope=messageGroup (deduplicates queue-wide)');
export const FAIR_QUEUES = fauxqs('ignores MessageGroupId on standard queues (no fair queues, no groupId on receive)');
/** The queue groups (A–H, J, K) fail these on fauxqs, for standard and FIFO runs alike. */
export const QUEUE_KNOWN_FAILURES: KnownFailures = {
  A4a: NON_BMP_BODY,
  A4c: NON_BMP_BODY,
  A5b: BINARY_SIZE,
  E29: NON_BMP_BODY,
  H44d: ONE_PER_GROUP,
  H45b: ONE_PER_GROUP,
  H46b: DEDUP_SCOPE,
  H51: FAIR_QUEUES,
};

/** On real AWS only what the SQS API itself rules out is expected to fail. */
export const AWS_KNOWN_FAILURES: KnownFailures = {};

/** FIFO runs also fail these consumer cases: their batches are several messages of one group. */
export const FIFO_KNOWN_FAILURES: KnownFailures = {
  ...QUEUE_KNOWN_FAILURES,
  J64: ONE_PER_GROUP,
  J65: ONE_PER_GROUP,
};
