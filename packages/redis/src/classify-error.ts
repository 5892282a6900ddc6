import { type ErrorCode, NETWORK_ERROR_CODES } from '@msgport/core/driver';

/** What went wrong, in msgport's words: the portable code and a short reason (no secret in it). */
export interface RedisFailure {
  readonly code: ErrorCode;
  /** One of the kinds below; `failover` and `connection` are the ones worth retrying through a failover. */
  readonly kind: 'connection' | 'failover' | 'timeout' | 'credentials' | 'database' | 'sentinel' | 'tls' | 'memory';
  readonly reason: string;
}

interface Described {
  readonly code?: string;
  readonly name?: string;
  readonly message: string;
}

/**
 * Which socket-level codes mean "unreachable or broken" is core's set (`NETWORK_ERROR_CODES`); these
 * are the sentences for the common ones (and EPROTO, a TLS handshake with a plain-text port).
 */
const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the connection was reset',
  ECONNABORTED: 'the connection was aborted',
  ETIMEDOUT: 'no TCP/TLS connection within the connect timeout',
  EPIPE: 'the connection was closed while writing',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name did not resolve (DNS unavailable)',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ENETDOWN: 'the network is down',
  ERR_SOCKET_CLOSED: 'the socket was closed',
  EPROTO: 'the TLS handshake failed (is the port a TLS port?)',
};

/** Node TLS errors meaning "this server's certificate is not trusted". */
const UNTRUSTED_CERTIFICATE = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

const inTransition = (reason: string): RedisFailure => ({ code: 'Unavailable', kind: 'failover', reason });
const denied = (reason: string): RedisFailure => ({ code: 'PermissionDenied', kind: 'credentials', reason });

const NOT_CONNECTED: RedisFailure = {
  code: 'Unavailable',
  kind: 'connection',
  reason: 'not connected (the client is reconnecting)',
};
const LOST_IN_FLIGHT: RedisFailure = {
  code: 'Unavailable',
  kind: 'connection',
  reason: 'the connection was lost with the command in flight',
};
const CLUSTER_UNREACHABLE = inTransition('the cluster is failing over or unreachable');

/** ioredis client-side failures, matched on their (stable) messages. */
const CLIENT_MESSAGES: readonly [RegExp, RedisFailure][] = [
  [/^Command timed out/i, { code: 'Timeout', kind: 'timeout', reason: 'no answer within the call timeout' }],
  [
    /^Connection is closed|^Socket closed unexpectedly|^Stream isn't writeable|aborted due to connection close/i,
    NOT_CONNECTED,
  ],
  [/^Reached the max retries per request/i, LOST_IN_FLIGHT],
  [
    /^None of startup nodes|^Failed to refresh slots cache|^Cluster isn't ready|^Too many Cluster redirections/i,
    CLUSTER_UNREACHABLE,
  ],
  [
    /^All sentinels are unreachable/i,
    { code: 'Unavailable', kind: 'connection', reason: "no Sentinel answered with the primary's address" },
  ],
  [
    /No such master with that name/i,
    { code: 'InvalidParameter', kind: 'sentinel', reason: 'the Sentinels monitor no primary of that name' },
  ],
  [
    /^Protocol error|^Unknown RESP type/i,
    { code: 'Unavailable', kind: 'connection', reason: 'the peer does not speak the Redis protocol' },
  ],
  [/blocking connection/i, { code: 'Unavailable', kind: 'connection', reason: 'the blocking connection hung' }],
  [
    /DB index is out of range/i,
    {
      code: 'InvalidParameter',
      kind: 'database',
      reason: 'the server has no such database (see its `databases` setting)',
    },
  ],
  [/invalid password|invalid username-password/i, denied('the user name or password was refused')],
  [
    /called without any password configured|no password is set/i,
    {
      code: 'PermissionDenied',
      kind: 'credentials',
      reason: 'a password was given but the server has none configured',
    },
  ],
];

/** First word of a Redis error reply → failure. */
const REPLIES: Readonly<Record<string, RedisFailure>> = {
  LOADING: inTransition('the server is loading its data set (LOADING)'),
  BUSY: inTransition('a script runs too long on the server (BUSY)'),
  TRYAGAIN: inTransition('the slot is being migrated (TRYAGAIN)'),
  CLUSTERDOWN: inTransition('the cluster is down or failing over (CLUSTERDOWN)'),
  MASTERDOWN: inTransition('the replica lost its primary (MASTERDOWN)'),
  READONLY: inTransition('the node is a replica now (READONLY): a failover happened'),
  MOVED: inTransition('the slot moved to another node (MOVED)'),
  ASK: inTransition('the slot is being migrated (ASK)'),
  NOREPLICAS: inTransition('not enough replicas (NOREPLICAS)'),
  MISCONF: inTransition('the server cannot persist its data (MISCONF)'),
  OOM: { code: 'Throttled', kind: 'memory', reason: 'the server is out of memory (OOM)' },
  NOAUTH: denied('the server requires a password and none was accepted (NOAUTH)'),
  WRONGPASS: denied('the user name or password was refused (WRONGPASS)'),
  NOPERM: denied('the ACL user lacks a permission (NOPERM)'),
};

function described(error: object): Described {
  const record = error as Record<string, unknown>;
  return {
    ...(typeof record.code === 'string' ? { code: record.code } : {}),
    ...(typeof record.name === 'string' ? { name: record.name } : {}),
    message: String(record.message ?? ''),
  };
}

function tlsFailure(code: string | undefined): RedisFailure | undefined {
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return {
      code: 'PermissionDenied',
      kind: 'tls',
      reason: `the server's TLS certificate is for another host name (${code}); set ?tlsServerName=`,
    };
  }
  if (code !== undefined && UNTRUSTED_CERTIFICATE.has(code)) {
    return {
      code: 'PermissionDenied',
      kind: 'tls',
      reason: `the server's TLS certificate is not trusted (${code}); give its CA with ?tlsCaFile= or transportOptions.tls.ca`,
    };
  }
  return undefined;
}

/**
 * What a raw ioredis/Redis/Node error means, or `undefined` for anything else (a script bug,
 * `WRONGTYPE` on a foreign key…), which core reports as `Internal`. Looks through `cause`,
 * `lastNodeError` (cluster) and a Sentinel's "Last error:".
 */
export function redisFailure(error: unknown): RedisFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, name, message } = described(error);
  const tls = tlsFailure(code);
  if (tls) return tls;
  if (code !== undefined && (NETWORK_ERROR_CODES.has(code) || NETWORK_REASONS[code] !== undefined)) {
    const reason = NETWORK_REASONS[code] ?? 'the connection failed';
    return { code: 'Unavailable', kind: 'connection', reason: `${reason} (${code})` };
  }
  const reply = REPLIES[message.split(' ', 1)[0] ?? ''];
  if (reply) return reply;
  // A Sentinel's "All sentinels are unreachable … Last error: WRONGPASS …" is about credentials.
  const lastError = /Last error: (.*)$/s.exec(message)?.[1];
  const errno = lastError === undefined ? undefined : /\b(E[A-Z_]{3,})\b/.exec(lastError)?.[1];
  const inner: RedisFailure | undefined =
    lastError === undefined ? undefined : redisFailure({ message: lastError, ...(errno ? { code: errno } : {}) });
  if (inner?.kind === 'credentials' || inner?.kind === 'sentinel') return inner;
  if (inner?.kind === 'connection' && /^All sentinels/.test(message)) {
    return { ...inner, reason: `no Sentinel could be reached${errno ? ` (${errno})` : ''}` };
  }
  for (const [pattern, failure] of CLIENT_MESSAGES) if (pattern.test(message)) return failure;
  if (name === 'MaxRetriesPerRequestError') return LOST_IN_FLIGHT;
  if (name === 'ClusterAllFailedError') return CLUSTER_UNREACHABLE;
  for (const nested of ['lastNodeError', 'cause'] as const) {
    const wrapped: unknown = (error as Record<string, unknown>)[nested];
    if (wrapped !== undefined && wrapped !== error) {
      const failure = redisFailure(wrapped);
      if (failure) return failure;
    }
  }
  return undefined;
}

/**
 * Maps a raw ioredis/Redis error to a portable code: lost or refused connections, a loading or
 * failing-over server → `Unavailable` (retryable); a call past its deadline → `Timeout`;
 * authentication, ACL and TLS trust errors → `PermissionDenied`; a missing database →
 * `InvalidParameter`; `OOM` → `Throttled`. Anything else is `undefined` (core reports `Internal`).
 */
export function classifyRedisError(error: unknown): ErrorCode | undefined {
  return redisFailure(error)?.code;
}

const SECRET_COMMANDS = new Set(['auth', 'hello', 'migrate', 'config']);

function property(value: object, name: string): unknown {
  return (value as Record<string, unknown>)[name];
}

/**
 * ioredis attaches the failing command to its errors (`error.command = { name, args }`); for AUTH
 * and HELLO … AUTH those args hold the password. This blanks them in place so a logged `cause`
 * never shows a credential.
 */
export function scrubError<T>(error: T): T {
  if (typeof error !== 'object' || error === null) return error;
  const command = property(error, 'command');
  if (typeof command === 'object' && command !== null) {
    const commandName = String(property(command, 'name') ?? '').toLowerCase();
    const args = property(command, 'args');
    if (SECRET_COMMANDS.has(commandName) && Array.isArray(args)) {
      (command as { args: unknown[] }).args = args.map(() => '***');
    }
  }
  for (const nested of ['previousErrors', 'lastNodeError', 'cause'] as const) {
    const inner = property(error, nested);
    if (Array.isArray(inner)) for (const item of inner) scrubError(item);
    else if (inner !== error) scrubError(inner);
  }
  return error;
}
