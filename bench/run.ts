/**
 * `pnpm bench [--url memory://] [--messages N] [--payload BYTES] [--concurrency N] [--rounds N]
 *   [--only cycle,consume,emulator,scale,sweep,redis,rabbitmq,sqs] [--json out.json] [--footprint N] [--charts [dir]]`
 * (`--only scale-memory` or `scale-redis`: one part of the scale section; `sweep-memory`, `sweep-redis`,
 * `sweep-rabbitmq`, `sweep-sqs`: one transport of the sweep)
 * Every row is measured against its baseline in the same process and printed as a ratio.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { connect } from '@msgport/core';
import '@msgport/memory';
import { parseArgs } from './args.js';
import { consumeRows } from './consume-overhead.js';
import type { Row } from './measure.js';
import { formatRow, ratioOf } from './measure.js';
import { fullCycleRows } from './memory-cycle.js';

const settings = parseArgs(process.argv.slice(2));
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

const suites: Record<string, (broker: Awaited<ReturnType<typeof connect>>) => Promise<Row[]>> = {
  cycle: (broker) => fullCycleRows(broker, settings),
  consume: (broker) => consumeRows(broker, settings),
};

// These sections load their packages only when selected, so `pnpm bench --only cycle` needs no servers.
const sections: Record<string, (emit: (row: Row) => void) => Promise<Row[] | undefined>> = {
  emulator: async () => (await import('./emulator.js')).emulatorRows(settings),
  scale: async (emit) => (await import('./scale/index.js')).scaleRows(settings, emit, redisUrl).then(() => undefined),
  sweep: async (emit) =>
    (await import('./sweep/index.js'))
      .sweepRows(settings, emit, { redis: redisUrl, amqp: amqpUrl })
      .then(() => undefined),
  redis: async () => (await import('./redis.js')).redisRows(settings, redisUrl),
  rabbitmq: async () => (await import('./rabbitmq.js')).rabbitmqRows(settings, amqpUrl),
  sqs: async () => (await import('./sqs.js')).sqsRows(settings),
};

const selected = (name: string) =>
  settings.only.length === 0 || settings.only.some((only) => only === name || only.startsWith(`${name}-`));
const measured: (Row & { readonly section: string })[] = [];
const report = (section: string) => (row: Row) => {
  console.log(formatRow(row));
  measured.push({ ...row, section });
};

const machine = `${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}`;
console.log(
  `msgport bench — node ${process.version}, ${machine}, url ${settings.url}, ` +
    `${settings.messages} messages, ${settings.payloadBytes} B payload, concurrency ${settings.concurrency}, median of ${settings.rounds}`,
);
const startedAt = new Date().toISOString();
const broker = await connect(settings.url);
for (const [name, suite] of Object.entries(suites)) {
  if (!selected(name)) continue;
  for (const row of await suite(broker)) report(name)(row);
}
await broker.close();
for (const [name, section] of Object.entries(sections)) {
  if (!selected(name)) continue;
  try {
    for (const row of (await section(report(name))) ?? []) report(name)(row);
  } catch (error) {
    console.log(`${name}: not measured (${error instanceof Error ? error.message : String(error)})`);
  }
}
if (settings.json) {
  const rows = measured.map((row) => ({ ...row, ratio: ratioOf(row) }));
  const run = { startedAt, node: process.version, machine, settings, rows };
  writeFileSync(settings.json, `${JSON.stringify(run, null, 2)}\n`);
  console.log(`wrote ${rows.length} rows to ${settings.json}`);
}
if (settings.charts) {
  const { writeCharts } = await import('./charts/render.js');
  const written = await writeCharts(measured, settings.charts);
  console.log(written.length > 0 ? `wrote ${written.join(', ')}` : 'charts: no sweep or scale rows in this run');
}
console.log(`bench finished in ${((Date.now() - Date.parse(startedAt)) / 1000).toFixed(0)} s`);
// A client library that leaves a socket or timer open must not keep a finished run alive: name it, then exit.
setTimeout(() => {
  console.log(`still open after the run: ${process.getActiveResourcesInfo().join(', ')}`);
  process.exit(0);
}, 5_000).unref();
