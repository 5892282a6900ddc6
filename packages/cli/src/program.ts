import { LIMITS } from '@msgport/core';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { collectAttribute } from './attributes.js';
import { redactorFor } from './broker-url.js';
import { describeError, describeStack, exitCodeOf } from './cli-error.js';
import { move } from './commands/move.js';
import { peek } from './commands/peek.js';
import { purge } from './commands/purge.js';
import { redrive } from './commands/redrive.js';
import { send } from './commands/send.js';
import { stats } from './commands/stats.js';
import { startConsole } from './console/start-console.js';
import { type CliIo, type CommandContext, writeLine } from './context.js';
import { interruptSignal } from './interrupt.js';

const integer =
  (min: number, max: number) =>
  (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return value;
  };

const positive = (text: string): number => {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError('expected a number above 0');
  return value;
};

const URL_HELP = 'broker URL: memory://, redis://host:6379, amqp://user:pass@host:5672, sqs://?region=…';

/** Builds the `msgport` program; `run` receives each command's action once arguments are parsed. */
function buildProgram(io: CliIo, run: (action: (context: CommandContext) => Promise<void>) => Promise<void>) {
  const program = new Command('msgport')
    .description('Operate msgport queues and topics on any transport: inspect, redrive, move, and a web console.')
    .option('--verbose', 'print the stack of an error')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError()
    .exitOverride();

  program
    .command('stats')
    .description('every queue: visible, in flight, delayed, oldest age, its DLQ and the DLQ depth')
    .argument('<url>', URL_HELP)
    .option('--prefix <prefix>', 'only queues whose name starts with this')
    .option('--watch', 'refresh until Ctrl-C')
    .option('--interval <seconds>', 'refresh period of --watch', positive, 2)
    .option('--json', 'print a JSON array of objects (name, visible, inFlight, delayed, …)')
    .action((url: string, options) => run((context) => stats(url, options, context)));

  program
    .command('peek')
    .description('show up to n messages without taking them (a receive with visibility 0: receive counts rise)')
    .argument('<url>', URL_HELP)
    .requiredOption('--queue <name>', 'queue to peek')
    .addOption(new Option('-n, --count <n>', 'messages to show, 1–10').argParser(integer(1, 10)).default(10))
    .option('--json', 'print the messages as JSON')
    .action((url: string, options) => run((context) => peek(url, options, context)));

  program
    .command('send')
    .description('send one message; prints its id ("-" as body reads stdin)')
    .argument('<url>', URL_HELP)
    .argument('<body>', 'message body')
    .requiredOption('--queue <name>', 'destination queue')
    .option(
      '--attr <name=value>',
      'attribute, repeatable; name:Number=1.5 or name:Binary=<base64> for other types',
      collectAttribute,
    )
    .option('--group <id>', 'message group id (FIFO queues, fair queues)')
    .option('--dedup <id>', 'deduplication id (FIFO queues)')
    .option(
      '--delay <seconds>',
      `delay, 0–${LIMITS.delayMaxSeconds} (standard queues)`,
      integer(0, LIMITS.delayMaxSeconds),
    )
    .action((url: string, body: string, options) => run((context) => send(url, body, options, context)));

  program
    .command('purge')
    .description('delete every message of a queue (asks first unless --yes)')
    .argument('<url>', URL_HELP)
    .requiredOption('--queue <name>', 'queue to purge')
    .option('--yes', 'do not ask; required when stdin is not a terminal')
    .action((url: string, options) => run((context) => purge(url, options, context)));

  program
    .command('redrive')
    .description("move a dead-letter queue's messages back to its source queue, with a progress bar")
    .argument('<url>', URL_HELP)
    .requiredOption('--queue <dlq>', 'the dead-letter queue')
    .option('--to <queue>', 'destination; default: the one queue that uses this DLQ')
    .action((url: string, options) => run((context) => redrive(url, options, context)));

  program
    .command('move')
    .description(
      'move every message of a queue to another broker (at least once; Ctrl-C stops cleanly, rerun continues)',
    )
    .argument('<from-url>', 'source broker URL')
    .argument('<to-url>', 'destination broker URL')
    .requiredOption('--queue <name>', 'source queue')
    .option(
      '--to-queue <name>',
      'destination queue; default: the same name (created with the same settings if missing)',
    )
    .option('--rate <n>', 'at most n messages per second', positive)
    .action((fromUrl: string, toUrl: string, options) => run((context) => move(fromUrl, toUrl, options, context)));

  program
    .command('console')
    .description('a local web console: live queue depths, DLQ browser with redrive, topics and filter policies')
    .argument('<url>', URL_HELP)
    .option('--port <n>', 'port; 0 picks a free one', integer(0, 65535), 8780)
    .option('--host <address>', 'address to bind; anything but loopback exposes the console', '127.0.0.1')
    .option('--interval <seconds>', 'how often the page refreshes the queue stats', positive, 5)
    .action((url: string, options) => run((context) => startConsole(url, options, context)));

  return program;
}

/** Runs the CLI on `argv` (as `process.argv`) and resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const urls = argv.slice(2).filter((arg) => /^[a-z][a-z0-9+.-]*:\/\//i.test(arg));
  const redact = redactorFor(urls);
  const verbose = argv.includes('--verbose');
  let exitCode = 0;
  const program = buildProgram(io, async (action) => {
    const interrupt = interruptSignal((signal) => {
      if (signal === 'SIGINT') writeLine(io.stderr, '\nstopping… (Ctrl-C again to quit at once)');
    });
    try {
      await action({ io, redact, signal: interrupt.signal });
    } catch (error) {
      writeLine(io.stderr, describeError(error, redact));
      if (verbose) writeLine(io.stderr, describeStack(error, redact));
      exitCode = exitCodeOf(error);
    } finally {
      interrupt.dispose();
    }
  });
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every parse error (unknown command or option, bad value) is a usage error.
      return error.exitCode === 0 ? 0 : 2;
    }
    throw error;
  }
  return exitCode;
}
