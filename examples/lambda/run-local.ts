/** Runs the unchanged Lambda handler on a msgport queue (memory by default, or MSGPORT_URL). */
import { connect, consume, stopOnSignals } from '@msgport/core';
import '@msgport/memory';
import { handler } from './handler.js';

const broker = await connect(process.env.MSGPORT_URL ?? 'memory://');
const dlq = await broker.createQueue('shipments-dlq');
const queue = await broker.createQueue('shipments', {
  visibilityTimeoutSeconds: 2,
  deadLetter: { queue: 'shipments-dlq', maxReceiveCount: 2 },
});
await queue.send(JSON.stringify({ orderId: 'o-1', address: '1 Main St' }));
await queue.send(JSON.stringify({ orderId: 'o-2', address: '' }));
const consumer = await consume(queue, handler, {
  functionResponseTypes: ['ReportBatchItemFailures'],
  functionTimeoutSeconds: 1,
});
// Ctrl-C (or SIGTERM) stops the consumer quietly instead of killing it mid-batch.
const removeSignalHandlers = stopOnSignals(consumer);
while ((await dlq.getAttributes()).visible === 0) await new Promise((resolve) => setTimeout(resolve, 100));
await consumer.stop();
removeSignalHandlers();
console.log(
  `done: ${consumer.metrics().NumberOfMessagesDeleted} shipped, ${(await dlq.getAttributes()).visible} in shipments-dlq`,
);
await broker.close();
