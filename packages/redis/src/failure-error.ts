import { createError, type ErrorCode, type MsgportError, TimeoutError, UnavailableError } from '@msgport/core/driver';
import { redisFailure, scrubError } from './classify-error.js';
import { TRANSPORT_NAME } from './context.js';

/** What the driver knows about where it connects, for messages (never a secret). */
export interface Endpoint {
  /** The redacted URL without its query, e.g. `redis://app:***@cache:6379/2`. */
  readonly where: string;
  readonly db: number;
  readonly connectTimeoutMs: number;
  readonly callTimeoutMs: number;
}

const VERBS: Partial<Record<ErrorCode, string>> = {
  Unavailable: 'is unavailable',
  Timeout: 'did not answer in time',
  PermissionDenied: 'denied access',
  InvalidParameter: 'rejected the connection settings',
  Throttled: 'refused the write',
};

/**
 * A raw ioredis/Redis/Node error as a typed error in msgport's words — naming the server, saying
 * what happened and keeping the client's own text out of the message (the scrubbed raw error is
 * the `cause`). `undefined` when the error is not a connection-level failure (core wraps those).
 */
export function failureError(raw: unknown, endpoint: Endpoint, phase: 'connect' | 'call'): MsgportError | undefined {
  const failure = redisFailure(raw);
  if (!failure) return undefined;
  let reason = failure.reason;
  if (failure.kind === 'timeout') reason = `no answer within ${endpoint.callTimeoutMs} ms (callTimeoutMs)`;
  if (failure.kind === 'database') reason = `the server has no database ${endpoint.db} (see its \`databases\` setting)`;
  const message =
    phase === 'connect'
      ? `cannot connect to ${endpoint.where}: ${reason}`
      : `Redis at ${endpoint.where} ${VERBS[failure.code] ?? 'failed'}: ${reason}`;
  return createError(failure.code, message, { cause: scrubError(raw), transport: TRANSPORT_NAME });
}

/**
 * The connect deadline passed; `stage` says how far the connection got. A TLS handshake that never
 * completes over an open TCP connection is most likely a TLS client talking to a plain-text port
 * (Redis waits for a line that never comes): `Unavailable`, saying so, after `afterMs`. Otherwise
 * `Timeout`.
 */
export function connectTimeout(endpoint: Endpoint, stage: 'tcp' | 'tls' | 'handshake', afterMs: number): MsgportError {
  if (stage === 'tls') {
    return new UnavailableError(
      `cannot connect to ${endpoint.where}: the TCP connection opened, but no TLS handshake completed within ${afterMs} ms; is it a TLS port?`,
      { transport: TRANSPORT_NAME },
    );
  }
  const what =
    stage === 'tcp'
      ? 'no TCP/TLS connection'
      : 'the TCP connection opened, but the server did not answer the handshake (AUTH/HELLO/SELECT)';
  return new TimeoutError(
    `connecting to ${endpoint.where} took longer than ${endpoint.connectTimeoutMs} ms (connectTimeoutMs): ${what}`,
    { transport: TRANSPORT_NAME },
  );
}
