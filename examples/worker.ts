/**
 * A consumer service as it runs in production: it consumes until SIGTERM or SIGINT, then stops
 * quietly — no new receive starts, batches in flight finish and are deleted, unstarted messages
 * go back at once — and exits by itself. A second signal ends it immediately.
 *
 * Failures are logged one line each (stderr by default; `logger` takes pino, console, winston…).
 * With an OpenTelemetry SDK registered, each batch runs in a `process orders` span linked to the
 * span that sent it. On `memory://` (the default) the worker feeds itself a few orders.
 */
import { connect, consume, stopOnSignals } from '@msgport/core';
import '@msgport/memory';

const broker = await connect(process.env.MSGPORT_URL ?? 'memory://');
const queue = await broker.createQueue('orders', { visibilityTimeoutSeconds: 30 });
const consumer = await consume(
  queue,
  async (event) => {
    for (const record of event.Records) console.log(`handled ${record.body}`);
  },
  { functionTimeoutSeconds: 5 },
);
consumer.on('stopped', ({ reason }) => console.log(`consumer stopped (${reason})`));
stopOnSignals(broker, { onStopped: () => console.log('closed, exiting') });

if (broker.transport === 'memory') {
  let next = 0;
  const feed = setInterval(() => void queue.send(`order-${++next}`).catch(() => clearInterval(feed)), 200);
  consumer.on('stopped', () => clearInterval(feed));
}
console.log(`worker ready on ${broker.transport}; Ctrl-C or SIGTERM stops it`);
