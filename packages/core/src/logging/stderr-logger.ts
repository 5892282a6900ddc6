import { formatWithOptions } from 'node:util';
import type { LogFields, Logger } from './logger.js';

export interface StderrLoggerOptions {
  /** Lines of one kind (level and message) allowed per window before the rest are counted, not printed. Default 5. */
  readonly burst?: number;
  /** The rate-limit window in milliseconds. Default 10,000. */
  readonly windowMs?: number;
  /** Where lines go. Default `process.stderr`. */
  readonly write?: (line: string) => void;
  readonly now?: () => number;
}

interface Window {
  startedAt: number;
  printed: number;
  suppressed: number;
}

type Level = 'debug' | 'info' | 'warn' | 'error';

const MAX_KINDS = 1_000;

/**
 * msgport's default logger: warnings and errors as one line each on stderr, `debug` and `info`
 * dropped, and at most `burst` lines of the same kind per window, so a failing handler at
 * 1,000 messages a second cannot flood the terminal. The first line after a quiet spell says
 * how many were left out.
 */
export function createStderrLogger(options: StderrLoggerOptions = {}): Logger {
  const burst = options.burst ?? 5;
  const windowMs = options.windowMs ?? 10_000;
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? Date.now;
  const windows = new Map<string, Window>();

  const log = (level: Level, message: string, fields?: LogFields) => {
    const kind = `${level}\u0000${message}`;
    const at = now();
    let window = windows.get(kind);
    if (window === undefined || at - window.startedAt >= windowMs) {
      const suppressed = window?.suppressed ?? 0;
      if (window === undefined && windows.size >= MAX_KINDS) windows.clear();
      window = { startedAt: at, printed: 0, suppressed: 0 };
      windows.set(kind, window);
      if (suppressed > 0) write(formatLine(level, `${message} (${suppressed} more like this not shown)`, fields));
    }
    if (window.printed >= burst) {
      window.suppressed++;
      return;
    }
    window.printed++;
    write(formatLine(level, message, fields));
  };

  return {
    debug() {},
    info() {},
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
  };
}

function formatLine(level: Level, message: string, fields: LogFields | undefined): string {
  const detail =
    fields === undefined || Object.keys(fields).length === 0
      ? ''
      : ` ${formatWithOptions({ breakLength: Number.POSITIVE_INFINITY, depth: 2, colors: false }, '%o', fields)}`;
  return `msgport ${level}: ${message}${detail}`.replace(/\r?\n\s*/g, ' ').concat('\n');
}
