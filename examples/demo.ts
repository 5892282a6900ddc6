/**
 * The README's main command: runs the pipes-and-filters order pipeline on the in-memory broker
 * (or on MSGPORT_URL), shows progress, redrives the dead-letter queue and prints per-queue stats.
 * On a persistent broker each run names its queues and topic with a prefix of its own (a run that
 * was cut short leaves nothing in the way of the next) and deletes them at the end.
 */
import { randomBytes } from 'node:crypto';
import { connect, stopOnSignals } from '@msgport/core';
import '@msgport/memory';
import { CATALOG, sampleOrders } from './order-pipeline/orders.js';
import { startOrderPipeline } from './order-pipeline/pipeline.js';
import { formatQueueTable } from './order-pipeline/report.js';

const url = process.env.MSGPORT_URL ?? 'memory://';
const count = Number(process.env.ORDERS ?? 400);
const broker = await connect(url);
// Ctrl-C stops the pipeline's consumers quietly and closes the broker (a second Ctrl-C exits at once).
stopOnSignals(broker, { onStopped: () => process.exit(130) });
console.log(
  `msgport demo on ${broker.transport} — ${count} orders: validate → enrich → order-events → billing + shipping`,
);

// memory:// is a private store per run; anywhere else, a prefix keeps this run's resources apart.
const prefix = broker.transport === 'memory' ? '' : `demo-${randomBytes(3).toString('hex')}-`;
const pipeline = await startOrderPipeline(broker, { prefix });
const orders = sampleOrders(count);
const isValid = (catalog: ReadonlySet<string>) => orders.filter((o) => catalog.has(o.sku) && o.quantity > 0).length;

async function waitFor(label: string, done: () => Promise<boolean>): Promise<void> {
  const started = Date.now();
  const tty = process.stdout.isTTY;
  let last = 0;
  for (;;) {
    const finished = await done();
    const { billed, shipped } = pipeline.processed();
    const dlq = (await pipeline.queues['orders-dlq'].getAttributes()).visible;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (finished || tty || Date.now() - last > 1000) {
      const line = `  ${label}: billed ${billed}, shipped ${shipped}, orders-dlq ${dlq} (${seconds}s)`;
      process.stdout.write(tty ? `\r${line}` : `${line}\n`);
      last = Date.now();
    }
    if (finished) break;
    if (Date.now() - started > 60_000) throw new Error(`${label} did not finish within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (tty) process.stdout.write('\n');
}

await pipeline.send(orders);
const valid = isValid(CATALOG);
await waitFor('processing', async () => {
  const dlq = (await pipeline.queues['orders-dlq'].getAttributes()).visible;
  return pipeline.processed().shipped === valid && dlq === count - valid;
});

console.log('\nAfter the first pass:\n');
console.log(formatQueueTable(await pipeline.metrics(), pipeline.dlqOf));

console.log('\nThe catalog learns the "unicorn" sku; redriving orders-dlq back to orders…');
pipeline.acceptAllSkus();
const moved = await pipeline.queues['orders-dlq'].redrive();
console.log(`  moved ${moved.moved} messages from ${moved.from} to ${moved.to}`);
const validNow = isValid(new Set([...CATALOG, 'unicorn']));
await waitFor('redriven', async () => {
  const dlq = (await pipeline.queues['orders-dlq'].getAttributes()).visible;
  return pipeline.processed().shipped === validNow && dlq === count - validNow;
});

console.log('\nFinal per-queue stats (orders with quantity 0 stay in orders-dlq):\n');
console.log(formatQueueTable(await pipeline.metrics(), pipeline.dlqOf));
console.log(
  '\nsent counts sends from this process (topic deliveries are not sends); billing skips zero totals by filter policy.',
);
await pipeline.stop();
await pipeline.remove();
await broker.close();
