import type { Capabilities } from '../../capabilities.js';
import { LIMITS } from '../../limits.js';

/** Amazon SQS with SNS topics, as AWS documents them: what a transport offers unless it says otherwise. */
export const SQS_CAPABILITIES: Capabilities = Object.freeze({
  fifo: true,
  fairQueues: true,
  delay: true,
  maxDelaySeconds: LIMITS.delayMaxSeconds,
  deadLetter: true,
  purge: true,
  retention: true,
  queueStats: true,
  oldestMessageAge: true,
  changeVisibility: true,
  longPolling: true,
  strictReceiptHandles: true,
  topics: true,
  fifoTopics: true,
  rawDelivery: true,
  filterPolicyScopes: Object.freeze(['MessageAttributes', 'MessageBody'] as const),
  maxBatchSize: LIMITS.batchEntriesMax,
  maxMessageBytes: LIMITS.messageBytesMax,
  persistent: true,
  crashRedelivery: 'afterVisibilityTimeout',
  receiptHandleScope: 'global',
});

/**
 * A transport's capabilities: the SQS defaults with its own differences, so each driver states only
 * where it departs from SQS, e.g. `defineCapabilities({ persistent: false })`.
 */
export function defineCapabilities(overrides: Partial<Capabilities> = {}): Capabilities {
  return Object.freeze({ ...SQS_CAPABILITIES, ...overrides });
}
