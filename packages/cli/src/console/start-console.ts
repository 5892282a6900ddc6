import { displayUrl, openBroker } from '../broker-url.js';
import { type CommandContext, writeLine } from '../context.js';
import { startConsoleServer } from './server.js';

export interface ConsoleOptions {
  readonly port: number;
  readonly host: string;
  readonly interval: number;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** `msgport console <url>`: serves the console until SIGINT or SIGTERM, then closes the server and the broker. */
export async function startConsole(url: string, options: ConsoleOptions, context: CommandContext): Promise<void> {
  const broker = await openBroker(url);
  try {
    const server = await startConsoleServer(
      broker,
      {
        transport: broker.transport,
        url: displayUrl(url),
        topics: broker.capabilities.topics,
        pollSeconds: options.interval,
      },
      { host: options.host, port: options.port, redact: context.redact },
    );
    if (!LOOPBACK.has(options.host)) {
      writeLine(
        context.io.stderr,
        `warning: the console is reachable from other machines on ${options.host}; it has no login`,
      );
    }
    writeLine(context.io.stdout, `msgport console for ${displayUrl(url)} at ${server.url} (Ctrl-C to stop)`);
    await new Promise<void>((resolve) => {
      if (context.signal.aborted) resolve();
      context.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await server.close();
    writeLine(context.io.stdout, 'console stopped');
  } finally {
    await broker.close();
  }
}
