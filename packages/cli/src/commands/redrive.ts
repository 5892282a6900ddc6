import { isMsgportError } from '@msgport/core';
import { openBroker } from '../broker-url.js';
import { type CommandContext, writeLine } from '../context.js';
import { type Progress, startProgress } from '../progress.js';

export interface RedriveCommandOptions {
  readonly queue: string;
  readonly to?: string;
}

/**
 * `msgport redrive <url> --queue <dlq> [--to q]`: moves the dead-letter queue's messages back to
 * its source queue (or `--to`), with a progress bar. Ctrl-C stops after the current batch.
 */
export async function redrive(url: string, options: RedriveCommandOptions, context: CommandContext): Promise<void> {
  const broker = await openBroker(url);
  let moved = 0;
  let to = options.to ?? '';
  const dlq = broker.queue(options.queue);
  let progress: Progress | undefined;
  try {
    const bar = startProgress(context.io, 'redrive', (await dlq.getAttributes()).visible);
    progress = bar;
    const result = await dlq.redrive({
      ...(options.to !== undefined ? { to: options.to } : {}),
      signal: context.signal,
      onProgress: (update) => {
        moved = update.moved;
        to = update.to;
        bar.update(moved);
      },
    });
    bar.stop();
    writeLine(context.io.stdout, `redrove ${result.moved} messages from "${result.from}" to "${result.to}"`);
  } catch (error) {
    progress?.stop();
    if (!isMsgportError(error, 'Aborted')) throw error;
    writeLine(
      context.io.stdout,
      `interrupted: redrove ${moved} messages from "${options.queue}" to "${to}"; run the command again to continue`,
    );
  } finally {
    await broker.close();
  }
}
