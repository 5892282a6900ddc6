/**
 * Producer process of the fault tools: sends seq 1..N as bodies, in batches of 10, at a steady
 * rate, through `connect(url)` and `queue.sendBatch`. An entry whose send failed is sent again
 * (as any application would) after a short backoff, until `giveUpSeconds`; every resolved send
 * is logged with its message id, every failure with its code.
 * Usage: node --import tsx --conditions=source producer-process.ts '<json ClientArgs>'
 */

import { exitOnUnhandled, readClientArgs } from './client-args.js';
import { connectWithRetry } from './connect-with-retry.js';
import { EventLogWriter } from './event-log.js';
import { sleep } from './free-port.js';

const BATCH = 10;
const args = readClientArgs();
const log = new EventLogWriter(args.log);
exitOnUnhandled((error) => log.error('producer-unhandled', error));
const messages = args.messages ?? 1_000;
const rate = args.ratePerSecond ?? 500;
const giveUpMs = (args.giveUpSeconds ?? 120) * 1000;

const broker = await connectWithRetry(args.url, log, 'producer');
const queue = broker.queue(args.queue);
const started = Date.now();

for (let first = 1; first <= messages; first += BATCH) {
  const due = started + ((first - 1) / rate) * 1000;
  if (Date.now() < due) await sleep(due - Date.now());
  let pending = Array.from({ length: Math.min(BATCH, messages - first + 1) }, (_, i) => first + i);
  const giveUpAt = Date.now() + giveUpMs;
  for (let attempt = 0; pending.length > 0; attempt++) {
    try {
      const result = await queue.sendBatch(pending.map((seq) => ({ id: `m${seq}`, body: String(seq) })));
      for (const sent of result.successful) log.sent(Number(sent.id.slice(1)), sent.messageId);
      for (const failure of result.failed) log.error('producer', failure);
      const failedIds = new Set(result.failed.map((failure) => failure.id));
      pending = pending.filter((seq) => failedIds.has(`m${seq}`));
    } catch (error) {
      log.error('producer', error);
    }
    if (pending.length === 0) break;
    if (Date.now() > giveUpAt) {
      for (const seq of pending) log.gaveUp(seq);
      break;
    }
    await sleep(Math.min(2_000, 100 * 2 ** attempt));
  }
}
log.done();
await Promise.race([broker.close().catch((error) => log.error('producer-close', error)), sleep(5_000)]);
process.exit(0);
