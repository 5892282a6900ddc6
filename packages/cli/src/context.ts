import type { Readable, Writable } from 'node:stream';

/** Where a command reads and writes, so the program can run in-process as well as from the bin. */
export interface CliIo {
  readonly stdout: Writable & { isTTY?: boolean; columns?: number };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly stdin: Readable & { isTTY?: boolean };
}

/** What every command gets besides its own options. */
export interface CommandContext {
  readonly io: CliIo;
  /** Removes the secrets of the URLs on the command line from a text. */
  readonly redact: (text: string) => string;
  /** Aborted on the first Ctrl-C (SIGINT) or SIGTERM: commands finish their current step and stop. */
  readonly signal: AbortSignal;
}

export function writeLine(stream: Writable, line = ''): void {
  stream.write(`${line}\n`);
}
