import { openBroker } from '../broker-url.js';
import { type CommandContext, writeLine } from '../context.js';
import { sleep } from '../interrupt.js';
import { queueOverview } from '../queue-overview.js';
import { statsTable } from '../stats-table.js';

export interface StatsOptions {
  readonly prefix?: string;
  readonly watch?: boolean;
  readonly interval: number;
  readonly json?: boolean;
}

/** `msgport stats <url>`: a table (or JSON array) of every queue; `--watch` refreshes it until Ctrl-C. */
export async function stats(url: string, options: StatsOptions, context: CommandContext): Promise<void> {
  const { io, signal } = context;
  const broker = await openBroker(url);
  try {
    do {
      const rows = await queueOverview(broker, options.prefix);
      if (options.json) {
        // One array per refresh; with --watch that is one JSON document per line.
        writeLine(io.stdout, options.watch ? JSON.stringify(rows) : JSON.stringify(rows, null, 2));
      } else {
        if (options.watch && io.stdout.isTTY) io.stdout.write('\x1b[2J\x1b[H');
        if (options.watch) writeLine(io.stdout, `${new Date().toLocaleTimeString()}  (Ctrl-C to stop)`);
        writeLine(io.stdout, rows.length > 0 ? statsTable(rows, Boolean(io.stdout.isTTY)) : 'no queues');
      }
      if (options.watch) await sleep(options.interval * 1000, signal);
    } while (options.watch && !signal.aborted);
  } finally {
    await broker.close();
  }
}
