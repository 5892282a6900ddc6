import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { type LogEvent, parseLogLine } from './event-log.js';

/** Reads the new complete lines of every `*.log` file in a directory, as the clients append them. */
export class LogReader {
  readonly #dir: string;
  readonly #files = new Map<string, { offset: number; partial: string }>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Events appended since the last call, file by file. */
  readNew(): LogEvent[] {
    const events: LogEvent[] = [];
    for (const name of readdirSync(this.#dir).filter((file) => file.endsWith('.log'))) {
      let state = this.#files.get(name);
      if (!state) {
        state = { offset: 0, partial: '' };
        this.#files.set(name, state);
      }
      const text = state.partial + this.#readFrom(join(this.#dir, name), state);
      const lines = text.split('\n');
      state.partial = lines.pop() ?? '';
      for (const line of lines) {
        const event = parseLogLine(line);
        if (event) events.push(event);
      }
    }
    return events;
  }

  #readFrom(path: string, state: { offset: number }): string {
    const fd = openSync(path, 'r');
    try {
      const chunks: Buffer[] = [];
      const buffer = Buffer.alloc(1 << 20);
      for (;;) {
        const read = readSync(fd, buffer, 0, buffer.length, state.offset);
        if (read === 0) break;
        chunks.push(Buffer.from(buffer.subarray(0, read)));
        state.offset += read;
      }
      return Buffer.concat(chunks).toString('utf8');
    } finally {
      closeSync(fd);
    }
  }
}
