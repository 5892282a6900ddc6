/**
 * A consumer process for the SIGKILL fault test: receives `count` messages from the queue with a long
 * visibility timeout, prints their ids as one JSON line, then waits to be killed.
 * Usage: node --import tsx --conditions=source sigkill-consumer.ts <url> <namespace> <queue> <count>
 */
import { createRabbitMQBroker } from '../../src/index.js';

const [url, namespace, queueName, countText] = process.argv.slice(2);
if (!url || !namespace || !queueName || !countText) throw new Error('usage: <url> <namespace> <queue> <count>');
const broker = await createRabbitMQBroker(url, { namespace });
const queue = broker.queue(queueName);
const ids: string[] = [];
while (ids.length < Number(countText)) {
  const batch = await queue.receive({ maxMessages: 10, waitTimeSeconds: 1, visibilityTimeoutSeconds: 300 });
  ids.push(...batch.map((message) => message.messageId));
}
process.stdout.write(`${JSON.stringify(ids)}\n`);
setInterval(() => {}, 60_000);
