import { createInterface } from 'node:readline/promises';
import { displayUrl, openBroker } from '../broker-url.js';
import { CliError } from '../cli-error.js';
import { type CommandContext, writeLine } from '../context.js';

export interface PurgeOptions {
  readonly queue: string;
  readonly yes?: boolean;
}

async function confirm(context: CommandContext, question: string): Promise<boolean> {
  const prompt = createInterface({ input: context.io.stdin, output: context.io.stderr });
  try {
    const answer = await prompt.question(question, { signal: context.signal });
    return /^y(es)?$/i.test(answer.trim());
  } catch {
    return false; // Ctrl-C or end of input
  } finally {
    prompt.close();
  }
}

/**
 * `msgport purge <url> --queue q`: deletes every message of the queue after a y/N question on a
 * terminal; without a terminal it refuses (exit 2) unless `--yes` is given.
 */
export async function purge(url: string, options: PurgeOptions, context: CommandContext): Promise<void> {
  if (!options.yes && !context.io.stdin.isTTY) {
    throw new CliError('refusing to purge without confirmation: stdin is not a terminal; pass --yes', 2);
  }
  const broker = await openBroker(url);
  try {
    const queue = broker.queue(options.queue);
    const before = await queue.getAttributes();
    const count = before.visible + before.inFlight + before.delayed;
    if (!options.yes) {
      const question = `Purge all ${count} messages of "${options.queue}" on ${displayUrl(url)}? [y/N] `;
      if (!(await confirm(context, question))) throw new CliError('purge cancelled; nothing was deleted', 1);
    }
    await queue.purge();
    writeLine(context.io.stdout, `purged "${options.queue}" (${count} messages)`);
  } finally {
    await broker.close();
  }
}
