import { type MsgportError, PermissionDeniedError, TimeoutError, UnavailableError } from '@msgport/core/driver';
import { type AmqpHost, formatHost } from './host-order.js';

export const TRANSPORT_NAME = 'rabbitmq';

/**
 * Why one attempt to open a connection to one node failed:
 * - `refused`: a configuration the cluster's nodes share rejects us (credentials, virtual host,
 *   TLS trust): trying another node or waiting will not help, so connecting fails at once;
 * - `absent`: nothing answers AMQP there (connection refused, unknown host, not a TLS port): the
 *   next node is tried, and a first connect fails once every node was absent;
 * - `transient`: anything else (a reset, a timeout, a node still booting): retried with backoff.
 */
export interface ConnectFailure {
  readonly kind: 'refused' | 'absent' | 'transient';
  /** The node accepted nothing or said nothing within the attempt's time (a silent peer). */
  readonly timedOut?: boolean;
  /** One line, no secrets, no amqplib internals: `127.0.0.1:5672 refused the connection (ECONNREFUSED)`. */
  readonly reason: string;
  /** For `refused`: the typed error the caller gets. */
  readonly error?: MsgportError;
}

const ABSENT_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'refused the connection',
  ENOTFOUND: 'is not a known host name',
  EPROTO: 'did not complete a TLS handshake (is it a TLS port?)',
  ERR_SSL_WRONG_VERSION_NUMBER: 'did not complete a TLS handshake (is it a TLS port?)',
};

const TRANSIENT_CODES: Readonly<Record<string, string>> = {
  ECONNRESET: 'reset the connection',
  ETIMEDOUT: 'did not answer in time',
  EHOSTUNREACH: 'is unreachable',
  ENETUNREACH: 'is unreachable',
  EAI_AGAIN: 'could not be resolved right now',
  EPIPE: 'closed the connection',
};

/** Node's codes for a server certificate the client does not trust. */
const UNTRUSTED_CERTIFICATE = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_UNTRUSTED',
]);

export interface ConnectTarget {
  readonly username: string;
  readonly vhost: string;
}

/** Classifies a failed amqplib `connect()` to `host` (the error never carries the password: amqplib gets an object). */
export function connectFailure(error: unknown, host: AmqpHost, target: ConnectTarget): ConnectFailure {
  const where = formatHost(host);
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string') {
    const absent = ABSENT_CODES[code];
    if (absent) return { kind: 'absent', reason: `${where} ${absent} (${code})` };
    if (UNTRUSTED_CERTIFICATE.has(code)) {
      return refused(
        `the TLS certificate of ${where} is not trusted (${code}); give its CA with ?tlsCaFile= or transportOptions.tls.ca`,
      );
    }
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      return refused(`the TLS certificate of ${where} is for another host name (${code}); set ?tlsServerName=`);
    }
    const transient = TRANSIENT_CODES[code];
    if (transient)
      return { kind: 'transient', reason: `${where} ${transient} (${code})`, timedOut: code === 'ETIMEDOUT' };
  }
  if (/ACCESS[-_]REFUSED|\b403\b/.test(message)) {
    return refused(
      `RabbitMQ at ${where} refused the login of user "${target.username}" (ACCESS_REFUSED): wrong user name or password`,
    );
  }
  // A missing virtual host (or one the user may not use) closes the connection instead of opening it;
  // amqplib then reports the frame it got ("Expected ConnectionOpenOk; got <ConnectionClose …>").
  if (/NOT[-_]ALLOWED|\b530\b|Expected ConnectionOpenOk/.test(message)) {
    return refused(
      `RabbitMQ at ${where} refused to open the virtual host "${target.vhost}" for user "${target.username}": ` +
        'it does not exist, or the user has no permissions on it',
    );
  }
  if (/wrong version number|ssl3_get_record|packet length too long/i.test(message)) {
    return { kind: 'absent', reason: `${where} ${ABSENT_CODES.EPROTO}` };
  }
  if (/ETIMEDOUT/.test(message))
    return { kind: 'transient', reason: `${where} did not answer in time`, timedOut: true };
  if (/closed abruptly|socket closed|ended/i.test(message)) {
    return { kind: 'transient', reason: `${where} closed the connection during the handshake (is it starting?)` };
  }
  return { kind: 'transient', reason: `${where} failed: ${firstLine(message)}` };
}

function refused(reason: string): ConnectFailure {
  return {
    kind: 'refused',
    reason,
    error: new PermissionDeniedError(reason, { transport: TRANSPORT_NAME, retryable: false }),
  };
}

/**
 * The error a connect that reached no node gets: every node's reason, the URL redacted. `Timeout`
 * when the deadline passed with every node silent (the connect's deadline, as core reports it),
 * `Unavailable` otherwise.
 */
export function noNodeReached(
  redactedUrl: string,
  reasons: readonly string[],
  cause: unknown,
  silent: { readonly afterMs: number } | undefined,
): MsgportError {
  const options = { transport: TRANSPORT_NAME, ...(cause === undefined ? {} : { cause }) };
  if (silent) {
    return new TimeoutError(
      `connecting to ${redactedUrl} took longer than ${silent.afterMs} ms: ${reasons.join('; ')}`,
      options,
    );
  }
  return new UnavailableError(`cannot connect to RabbitMQ at ${redactedUrl}: ${reasons.join('; ')}`, options);
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.slice(0, 200) ?? '';
}
