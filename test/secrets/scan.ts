import { inspect } from 'node:util';
import type { LogFields, Logger } from '@msgport/core';

/** A logger that keeps every line, fields included, as text. */
export class CapturingLogger implements Logger {
  readonly lines: string[] = [];
  readonly #keep = (level: string) => (message: string, fields?: LogFields) => {
    this.lines.push(
      `${level} ${message} ${fields === undefined ? '' : inspect(fields, { showHidden: true, depth: 30 })}`,
    );
  };
  readonly debug = this.#keep('debug');
  readonly info = this.#keep('info');
  readonly warn = this.#keep('warn');
  readonly error = this.#keep('error');
}

function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

/** Every way an error gets printed: message, stack, util.inspect with hidden fields, JSON, per cause. */
export function renderings(error: unknown): [where: string, text: string][] {
  const out: [string, string][] = [['inspect', inspect(error, { showHidden: true, depth: 30 })]];
  const seen = new Set<unknown>();
  const visit = (value: unknown, path: string) => {
    if (value === null || value === undefined || seen.has(value) || seen.size > 50) return;
    seen.add(value);
    if (typeof value !== 'object') {
      out.push([path, String(value)]);
      return;
    }
    const e = value as { message?: unknown; stack?: unknown; cause?: unknown; errors?: unknown };
    out.push([`${path}.message`, String(e.message)], [`${path}.stack`, String(e.stack)], [`${path} JSON`, json(value)]);
    out.push([`${path} String()`, safeString(value)]);
    visit(e.cause, `${path}.cause`);
    if (Array.isArray(e.errors)) {
      for (const [i, inner] of e.errors.entries()) visit(inner, `${path}.errors[${i}]`);
    }
  };
  visit(error, 'error');
  return out;
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '';
  }
}

/** The places where any of `secrets` shows up, e.g. `error.cause.stack`, `log #2`, `event #0`. */
export function findLeaks(
  secrets: readonly string[],
  sources: { error?: unknown; logs?: readonly string[]; events?: readonly unknown[]; output?: readonly string[] },
): string[] {
  const texts: [string, string][] = [];
  if ('error' in sources) texts.push(...renderings(sources.error));
  for (const [i, line] of (sources.logs ?? []).entries()) texts.push([`log #${i}`, line]);
  for (const [i, event] of (sources.events ?? []).entries()) {
    for (const [where, text] of renderings(event)) texts.push([`event #${i} ${where}`, text]);
  }
  for (const [i, chunk] of (sources.output ?? []).entries()) texts.push([`console #${i}`, chunk]);
  const leaks: string[] = [];
  for (const [where, text] of texts) {
    for (const secret of secrets) if (text.includes(secret)) leaks.push(`${where} holds "${secret}"`);
  }
  return leaks;
}

/** Collects what is written to the console and to stdout/stderr while installed. */
export class OutputCapture {
  readonly chunks: string[] = [];
  #restore: (() => void)[] = [];

  install(): void {
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        this.chunks.push(String(chunk));
        return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
      this.#restore.push(() => {
        stream.write = write;
      });
    }
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const original = console[level];
      console[level] = (...args: unknown[]) => {
        this.chunks.push(args.map((arg) => inspect(arg, { showHidden: true, depth: 30 })).join(' '));
      };
      this.#restore.push(() => {
        console[level] = original;
      });
    }
  }

  uninstall(): void {
    for (const restore of this.#restore.splice(0)) restore();
  }
}
