import type { FilterPolicyScope } from './filter-policy/index.js';

/**
 * What a transport can do. Declared by each driver, checked by core when a resource is created
 * (a FIFO queue on a transport without FIFO fails at `createQueue`) and read by the conformance suite.
 */
export interface Capabilities {
  /** FIFO queues: strict order per group, group locking, deduplication. */
  readonly fifo: boolean;
  /** `groupId` on standard queues interleaves tenants (SQS fair queues). */
  readonly fairQueues: boolean;
  readonly delay: boolean;
  readonly maxDelaySeconds: number;
  readonly deadLetter: boolean;
  readonly purge: boolean;
  readonly retention: boolean;
  readonly queueStats: boolean;
  /**
   * Stats include the age of the oldest message. Absent means yes; SQS says no (only CloudWatch
   * reports ApproximateAgeOfOldestMessage), and its `oldestMessageAgeSeconds` is then always 0.
   */
  readonly oldestMessageAge?: boolean;
  readonly changeVisibility: boolean;
  readonly longPolling: boolean;
  /**
   * Aborting a receive (its `signal`) ends it on the broker too, so nothing is taken that the caller
   * does not get. Absent means yes; SQS says no: an abandoned long poll stays open on SQS and takes
   * the next message, which then stays hidden for its visibility timeout. The consumer runtime lets
   * such receives run out instead of aborting them when it stops.
   */
  readonly abortableReceive?: boolean;
  /** A stale receipt handle is rejected by changeVisibility. */
  readonly strictReceiptHandles: boolean;
  readonly topics: boolean;
  readonly fifoTopics: boolean;
  readonly rawDelivery: boolean;
  readonly filterPolicyScopes: readonly FilterPolicyScope[];
  /** Largest batch one driver call accepts; core chunks larger batches. */
  readonly maxBatchSize: number;
  readonly maxMessageBytes: number;
  /** Messages survive a broker restart. */
  readonly persistent: boolean;
  /** When a consumer dies holding messages: they return after their visibility timeout (SQS) or at once. */
  readonly crashRedelivery: 'afterVisibilityTimeout' | 'immediate';
  /** Where a receipt handle is valid: anywhere (SQS) or only in the process that received it. */
  readonly receiptHandleScope: 'global' | 'process';
}

export type CapabilityName = {
  [K in keyof Capabilities]-?: NonNullable<Capabilities[K]> extends boolean ? K : never;
}[keyof Capabilities];
