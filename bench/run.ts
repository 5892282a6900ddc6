/**
 * `pnpm bench [--url memory://] [--messages N] [--payload BYTES] [--concurrency N] [--rounds N] [--only cycle,consume]`
 * Every row is measured against its baseline in the same process and printed as a ratio.
 */
import os from 'node:os';
import { connect } from '@msgport/core';
import '@msgport/memory';
import { parseArgs } from './args.js';
import { consumeRows } from './consume-overhead.js';
import type { Row } from './measure.js';
import { formatRow } from './measure.js';

// Transport sections load their packages only when selected, so `pnpm bench --only cycle` needs no servers.
const transportSections: Record<string, () => Promise<Row[]>> = {
  redis: async () =>
    (await import('./redis.js')).redisRows(settings, process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'),
  rabbitmq: async () =>
    (await import('./rabbitmq.js')).rabbitmqRows(settings, process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672'),
  sqs: async () => (await import('./sqs.js')).sqsRows(settings),
};

import { fullCycleRows } from './memory-cycle.js';

const settings = parseArgs(process.argv.slice(2));

const suites: Record<string, (broker: Awaited<ReturnType<typeof connect>>) => Promise<Row[]>> = {
  cycle: (broker) => fullCycleRows(broker, settings),
  consume: (broker) => consumeRows(broker, settings),
};

console.log(
  `msgport bench — node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, url ${settings.url}, ` +
    `${settings.messages} messages, ${settings.payloadBytes} B payload, concurrency ${settings.concurrency}, median of ${settings.rounds}`,
);
const broker = await connect(settings.url);
for (const [name, suite] of Object.entries(suites)) {
  if (settings.only.length > 0 && !settings.only.includes(name)) continue;
  for (const row of await suite(broker)) console.log(formatRow(row));
}
await broker.close();
for (const [name, section] of Object.entries(transportSections)) {
  if (settings.only.length > 0 && !settings.only.includes(name)) continue;
  try {
    for (const row of await section()) console.log(formatRow(row));
  } catch (error) {
    console.log(`${name}: not measured (${error instanceof Error ? error.message : String(error)})`);
  }
}
