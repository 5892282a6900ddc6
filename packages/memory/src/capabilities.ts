import type { Capabilities } from '@msgport/core/driver';

export const memoryCapabilities: Capabilities = {
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
  persistent: false,
  crashRedelivery: 'afterVisibilityTimeout',
  receiptHandleScope: 'global',
};
