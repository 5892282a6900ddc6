import { createError, type ErrorCode, isMsgportError, type MsgportError } from './errors.js';
import type { Redactor } from './secrets.js';

/**
 * What core keeps of an error a transport's client library threw: its name, message, code, HTTP
 * status and request id, as plain values. The raw error itself is never attached as a `cause`: it
 * may hold the URL, request headers or tokens (an AWS SDK error keeps the signed request and the
 * response in hidden fields; Node's URL error keeps the input). `rawErrorOf` reaches it on purpose.
 */
export class TransportCause extends Error {
  /** The library's error code: `ECONNREFUSED`, `WRONGPASS`, `AWS.SimpleQueueService.NonExistentQueue`, 403… */
  declare readonly code?: string | number;
  /** The HTTP status of the response, for HTTP transports. */
  declare readonly status?: number;
  /** The broker's request id (SQS, SNS), for support requests. */
  declare readonly requestId?: string;
}

// Deep enough for a driver error wrapping a client error wrapping a socket error.
const MAX_DEPTH = 4;

const raws = new WeakMap<object, unknown>();
const sanitized = new WeakSet<object>();

/**
 * The error a transport threw before core summarized it, or `undefined`. It may hold credentials,
 * the raw URL or request headers: inspect it while debugging, never log or serialize it.
 */
export function rawErrorOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? raws.get(error) : undefined;
}

/** Whether core already produced this error in its safe form (so wrapping it again changes nothing). */
export function isSanitized(error: MsgportError): boolean {
  return sanitized.has(error);
}

/** Marks an error core created itself (validation, timeouts): it carries nothing to scrub. */
export function markSanitized<E extends MsgportError>(error: E): E {
  sanitized.add(error);
  return error;
}

/** A `MsgportError` as a transport threw it, rebuilt with a scrubbed message and a summarized cause chain. */
export function sanitizeMsgportError(raw: MsgportError, redactor: Redactor, transport?: string): MsgportError {
  if (sanitized.has(raw)) return raw;
  const safe = rebuild(raw, redactor, 0, transport) as MsgportError;
  raws.set(safe, raw);
  return markSanitized(safe);
}

/** A raw (untyped) transport error turned into a `MsgportError` of `code` whose cause is its summary. */
export function wrapRawError(
  raw: unknown,
  code: ErrorCode,
  message: string,
  redactor: Redactor,
  transport?: string,
): MsgportError {
  const cause = rebuild(raw, redactor, 1, transport);
  const error = createError(code, redactor.redact(message), {
    cause,
    ...(transport !== undefined ? { transport } : {}),
  });
  if (typeof raw === 'object' && raw !== null) raws.set(error, raw);
  return markSanitized(error);
}

function rebuild(raw: unknown, redactor: Redactor, depth: number, transport: string | undefined): Error {
  if (!isMsgportError(raw)) return summarize(raw, redactor, depth, transport);
  const cause =
    raw.cause !== undefined && depth < MAX_DEPTH ? rebuild(raw.cause, redactor, depth + 1, transport) : undefined;
  const stamped = raw.transport ?? transport;
  const error = createError(raw.code, redactor.redact(raw.message), {
    retryable: raw.retryable,
    ...(stamped !== undefined ? { transport: stamped } : {}),
    ...(cause !== undefined ? { cause } : {}),
  });
  copyStack(error, raw, redactor);
  return error;
}

function summarize(raw: unknown, redactor: Redactor, depth: number, transport: string | undefined): TransportCause {
  const fields = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const cause =
    fields.cause !== undefined && depth < MAX_DEPTH ? rebuild(fields.cause, redactor, depth + 1, transport) : undefined;
  const summary = new TransportCause(redactor.redact(messageOf(raw)), cause !== undefined ? { cause } : undefined);
  const name = typeof fields.name === 'string' ? fields.name : 'Error';
  Object.defineProperty(summary, 'name', { value: name, configurable: true, writable: true });
  const metadata = (
    typeof fields.$metadata === 'object' && fields.$metadata !== null ? fields.$metadata : {}
  ) as Record<string, unknown>;
  const code = firstOf(fields.code, fields.Code, firstErrorOf(fields)?.code);
  if (typeof code === 'string' || typeof code === 'number')
    assign(summary, 'code', typeof code === 'string' ? redactor.redact(code) : code);
  const status = firstOf(metadata.httpStatusCode, fields.statusCode, fields.status);
  if (typeof status === 'number') assign(summary, 'status', status);
  const requestId = firstOf(metadata.requestId, fields.requestId, fields.RequestId);
  if (typeof requestId === 'string') assign(summary, 'requestId', redactor.redact(requestId));
  copyStack(summary, raw, redactor);
  return summary;
}

/**
 * The text of a thrown value. Node's AggregateError (a connection tried on several addresses) has an
 * empty message of its own: the first inner error's stands in.
 */
export function messageOf(raw: unknown): string {
  if (raw instanceof Error) {
    if (raw.message !== '') return raw.message;
    const first = firstErrorOf(raw as unknown as Record<string, unknown>);
    if (typeof first?.message === 'string') return first.message;
    return raw.name;
  }
  if (typeof raw === 'string') return raw;
  return typeof raw === 'object' && raw !== null ? 'a non-Error object was thrown' : `${typeof raw} thrown`;
}

function firstErrorOf(fields: Record<string, unknown>): Record<string, unknown> | undefined {
  const errors = fields.errors;
  return Array.isArray(errors) && typeof errors[0] === 'object' && errors[0] !== null ? errors[0] : undefined;
}

function firstOf(...values: unknown[]): unknown {
  return values.find((value) => value !== undefined && value !== null);
}

function assign(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: false });
}

function copyStack(target: Error, raw: unknown, redactor: Redactor): void {
  const stack = raw instanceof Error ? raw.stack : undefined;
  if (typeof stack === 'string') target.stack = redactor.redact(stack);
}
