import { displayUrl, openBroker } from '../broker-url.js';
import { type CommandContext, writeLine } from '../context.js';
import { ensureDestination } from '../move/ensure-destination.js';
import { moveQueue } from '../move/move-queue.js';
import { startProgress } from '../progress.js';

export interface MoveCommandOptions {
  readonly queue: string;
  readonly toQueue?: string;
  readonly rate?: number;
}

/**
 * `msgport move <from-url> <to-url> --queue q`: every message of q, across transports, at least
 * once. Ctrl-C finishes the batch in flight and stops; running the command again continues.
 */
export async function move(
  fromUrl: string,
  toUrl: string,
  options: MoveCommandOptions,
  context: CommandContext,
): Promise<void> {
  const { io } = context;
  const toName = options.toQueue ?? options.queue;
  const from = await openBroker(fromUrl);
  try {
    const to = await openBroker(toUrl);
    try {
      const source = from.queue(options.queue);
      const { visible } = await source.getAttributes();
      await ensureDestination(from, options.queue, to, toName, (line) => writeLine(io.stderr, line));
      const progress = startProgress(io, 'move', visible);
      const result = await moveQueue(source, to.queue(toName), {
        ...(options.rate !== undefined ? { rate: options.rate } : {}),
        signal: context.signal,
        onProgress: (moved) => progress.update(moved),
      }).finally(() => progress.stop());
      const route = `"${options.queue}" on ${displayUrl(fromUrl)} to "${toName}" on ${displayUrl(toUrl)}`;
      writeLine(
        io.stdout,
        result.interrupted
          ? `interrupted: moved ${result.moved} messages from ${route}; run the same command again to continue`
          : `moved ${result.moved} messages from ${route}`,
      );
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
}
