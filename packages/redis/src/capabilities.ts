import type { Capabilities } from '@msgport/core/driver';

/**
 * Everything DESIGN §3–4 asks for. `persistent` holds when the server runs with `appendonly yes`
 * (see docs/transports/redis.md); with RDB snapshots only, a crash loses the last writes.
 */
export const redisCapabilities: Capabilities = {
  fifo: true,
  fairQueues: true,
  delay: true,
  maxDelaySeconds: 900,
  deadLetter: true,
  purge: true,
  retention: true,
  queueStats: true,
  changeVisibility: true,
  longPolling: true,
  strictReceiptHandles: true,
  topics: true,
  fifoTopics: true,
  rawDelivery: true,
  filterPolicyScopes: ['MessageAttributes', 'MessageBody'],
  maxBatchSize: 10,
  maxMessageBytes: 1_048_576,
  persistent: true,
  crashRedelivery: 'afterVisibilityTimeout',
  receiptHandleScope: 'global',
};
