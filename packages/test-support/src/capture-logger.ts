import type { LogFields, Logger } from '@msgport/core';

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: LogFields | undefined;
  readonly at: number;
}

/** A logger that keeps every line, for assertions on what msgport reported and when. */
export function captureLogger(): Logger & { readonly lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const add = (level: LogLine['level']) => (message: string, fields?: LogFields) =>
    void lines.push({ level, message, fields, at: Date.now() });
  return {
    lines,
    debug: add('debug'),
    info: add('info'),
    warn: add('warn'),
    error: add('error'),
    text: () => lines.map((line) => `${line.level} ${line.message} ${JSON.stringify(line.fields ?? {})}`).join('\n'),
  };
}
