import { isMsgportError } from '@msgport/core';

/** A failure the CLI reports with a chosen exit code (usage errors are 2). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * The one line printed for a failure: `msgport: <Code>: <message>`. Messages of msgport errors are
 * redacted by construction; `redact` is applied to everything once more as a last guard.
 */
export function describeError(error: unknown, redact: (text: string) => string): string {
  if (error instanceof CliError) return `msgport: ${redact(error.message)}`;
  if (isMsgportError(error)) return `msgport: ${error.code}: ${redact(error.message)}`;
  const message = error instanceof Error ? error.message : String(error);
  return `msgport: Internal: ${redact(message)}`;
}

export function exitCodeOf(error: unknown): number {
  return error instanceof CliError ? error.exitCode : 1;
}

/** The stack with causes, for `--verbose`; redacted like the one-line form. */
export function describeStack(error: unknown, redact: (text: string) => string): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    lines.push(redact(current instanceof Error ? (current.stack ?? current.message) : String(current)));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) lines.push('caused by:');
  }
  return lines.join('\n');
}
