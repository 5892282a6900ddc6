import type { Capabilities } from '@msgport/core/driver';

/**
 * What the RabbitMQ transport can do. Two values differ from SQS on purpose (see
 * docs/transports/rabbitmq.md): the broker requeues a dead consumer's messages at once, and only the
 * process (and connection) that received a message can settle it.
 */
export const rabbitmqCapabilities: Capabilities = {
  fifo: true,
  // Standard queues are served in broker order; tenants are not interleaved.
  fairQueues: false,
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
  crashRedelivery: 'immediate',
  receiptHandleScope: 'process',
};
