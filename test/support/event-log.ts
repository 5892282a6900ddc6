import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * One append-only log per client process, one event per line, fields separated by spaces:
 *
 *   S <ms> <seq> <messageId>                      the producer's send resolved for seq
 *   R <ms> <seq> <messageId> <receiveCount> <pid> a consumer processed seq (before its delete)
 *   E <ms> <role> <code> <retryable> <message…>   an error a client saw
 *   D <ms>                                        the producer sent everything
 *   G <ms> <seq>                                  the producer gave up on seq
 *
 * Each line is written with one write(2) before the consumer's handler returns, so a SIGKILL
 * cannot lose a record of work the broker may already consider done: the page cache outlives
 * the process, no fsync needed.
 */
export type LogEvent =
  | { readonly kind: 'sent'; readonly at: number; readonly seq: number; readonly messageId: string }
  | {
      readonly kind: 'processed';
      readonly at: number;
      readonly seq: number;
      readonly messageId: string;
      readonly receiveCount: number;
      readonly pid: number;
    }
  | {
      readonly kind: 'error';
      readonly at: number;
      readonly role: string;
      readonly code: string;
      readonly retryable: boolean;
      readonly message: string;
    }
  | { readonly kind: 'done'; readonly at: number }
  | { readonly kind: 'gaveUp'; readonly at: number; readonly seq: number };

export class EventLogWriter {
  readonly #fd: number;

  constructor(path: string) {
    this.#fd = openSync(path, 'a');
  }

  sent(seq: number, messageId: string): void {
    this.#write(`S ${Date.now()} ${seq} ${messageId}`);
  }

  processed(seq: number, messageId: string, receiveCount: number): void {
    this.#write(`R ${Date.now()} ${seq} ${messageId} ${receiveCount} ${process.pid}`);
  }

  error(role: string, error: unknown): void {
    const { code, retryable, message } = describeError(error);
    this.#write(`E ${Date.now()} ${role} ${code} ${retryable} ${message.replace(/\s+/g, ' ').slice(0, 300)}`);
  }

  done(): void {
    this.#write(`D ${Date.now()}`);
  }

  gaveUp(seq: number): void {
    this.#write(`G ${Date.now()} ${seq}`);
  }

  close(): void {
    closeSync(this.#fd);
  }

  #write(line: string): void {
    writeSync(this.#fd, `${line}\n`);
  }
}

/**
 * Code and retryability of a typed MsgportError, or of a failed batch entry (`{ id, code, message,
 * senderFault }`: retryable when it is not the sender's fault); anything else is reported as untyped.
 */
export function describeError(error: unknown): { code: string; retryable: boolean; message: string } {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string' && 'retryable' in error) {
    return { code: error.code, retryable: error.retryable === true, message: error.message };
  }
  if (isBatchFailure(error)) {
    return { code: error.code, retryable: !error.senderFault, message: `entry ${error.id}: ${error.message}` };
  }
  const name = error instanceof Error ? error.constructor.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  return { code: `untyped:${name}`, retryable: false, message };
}

export function parseLogLine(line: string): LogEvent | undefined {
  const [tag, atText = '', ...rest] = line.split(' ');
  const at = Number(atText);
  switch (tag) {
    case 'S':
      return { kind: 'sent', at, seq: Number(rest[0]), messageId: rest[1] ?? '' };
    case 'R':
      return {
        kind: 'processed',
        at,
        seq: Number(rest[0]),
        messageId: rest[1] ?? '',
        receiveCount: Number(rest[2]),
        pid: Number(rest[3]),
      };
    case 'E':
      return {
        kind: 'error',
        at,
        role: rest[0] ?? '',
        code: rest[1] ?? '',
        retryable: rest[2] === 'true',
        message: rest.slice(3).join(' '),
      };
    case 'D':
      return { kind: 'done', at };
    case 'G':
      return { kind: 'gaveUp', at, seq: Number(rest[0]) };
    default:
      return undefined;
  }
}

function isBatchFailure(value: unknown): value is { id: string; code: string; message: string; senderFault: boolean } {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.id === 'string' && typeof entry.code === 'string' && typeof entry.senderFault === 'boolean';
}
