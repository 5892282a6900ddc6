import { defineCapabilities } from '@msgport/core/driver';

/**
 * What the RabbitMQ transport can do: SQS, but for three values (see docs/transports/rabbitmq.md).
 * Standard queues are served in broker order (tenants are not interleaved), the broker requeues a dead
 * consumer's messages at once, and only the process (and connection) that received a message can settle it.
 */
export const rabbitmqCapabilities = defineCapabilities({
  fairQueues: false,
  crashRedelivery: 'immediate',
  receiptHandleScope: 'process',
});
