/**
 * Consumer process of the fault tools: `consumeMessages()` on the queue; for each message it
 * appends (seq, messageId, receiveCount, pid) to its log *before* returning, so the runtime's
 * delete comes after the record: a process killed between the two leaves a recorded message that
 * comes back as a redelivery (receiveCount ≥ 2). Transport errors the consumer reports are logged.
 * SIGTERM stops it gracefully. Usage: node --import tsx --conditions=source consumer-process.ts '<json>'
 */
import { consumeMessages } from '@msgport/core';
import { exitOnUnhandled, readClientArgs } from './client-args.js';
import { connectWithRetry } from './connect-with-retry.js';
import { EventLogWriter } from './event-log.js';
import { sleep } from './free-port.js';

const args = readClientArgs();
const log = new EventLogWriter(args.log);
exitOnUnhandled((error) => log.error('consumer-unhandled', error));

const broker = await connectWithRetry(args.url, log, 'consumer');
const queue = broker.queue(args.queue);
const consumer = await consumeMessages(
  queue,
  async (message) => {
    log.processed(Number(message.body), message.messageId, message.receiveCount);
  },
  { batchSize: 10, maximumConcurrency: args.concurrency ?? 5, functionTimeoutSeconds: 1 },
);
consumer.on('transportError', (error) => log.error('consumer', error));
consumer.on('handlerError', (error) => log.error('consumer-handler', error));

process.once('SIGTERM', () => {
  const stopping = consumer
    .stop()
    .then(() => broker.close())
    .catch((error) => log.error('consumer-stop', error));
  void Promise.race([stopping, sleep(10_000)]).finally(() => process.exit(0));
});
