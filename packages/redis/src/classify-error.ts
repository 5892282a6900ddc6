import type { ErrorCode } from '@msgport/core/driver';

/** Socket-level error codes: the server is unreachable or the connection broke. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ERR_SOCKET_CLOSED',
]);

/** ioredis client-side failures that mean "no usable connection right now". */
const CLIENT_UNAVAILABLE = [
  /^Connection is closed/i,
  /Stream isn't writeable/i,
  /^Command timed out/i,
  /^Socket closed unexpectedly/i,
  /^None of startup nodes is available/i,
  /^Failed to refresh slots cache/i,
  /^Cluster isn't ready/i,
  /blocking connection/i,
];

/** First word of a Redis error reply → portable code. */
const REPLY_CODES: Readonly<Record<string, ErrorCode>> = {
  LOADING: 'Unavailable',
  BUSY: 'Unavailable',
  TRYAGAIN: 'Unavailable',
  CLUSTERDOWN: 'Unavailable',
  MASTERDOWN: 'Unavailable',
  READONLY: 'Unavailable',
  MOVED: 'Unavailable',
  ASK: 'Unavailable',
  NOREPLICAS: 'Unavailable',
  MISCONF: 'Unavailable',
  OOM: 'Throttled',
  NOAUTH: 'PermissionDenied',
  WRONGPASS: 'PermissionDenied',
  NOPERM: 'PermissionDenied',
};

const AUTH_MESSAGES =
  /invalid password|invalid username-password|AUTH <password> called without|without any password configured/i;

function property(value: object, name: string): unknown {
  return (value as Record<string, unknown>)[name];
}

/**
 * Maps a raw ioredis/Redis error to a portable code: lost or refused connections, a loading or
 * failing-over server → `Unavailable` (retryable); authentication and ACL errors → `PermissionDenied`;
 * `OOM` → `Throttled`. Anything else (including a `NOSCRIPT` that escaped the script runner, which
 * reloads scripts itself) is `undefined`, which core reports as `Internal`.
 */
export function classifyRedisError(error: unknown): ErrorCode | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const name = property(error, 'name');
  const code = property(error, 'code');
  const message = String(property(error, 'message') ?? '');
  if (name === 'MaxRetriesPerRequestError' || name === 'ClusterAllFailedError') return 'Unavailable';
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'Unavailable';
  if (CLIENT_UNAVAILABLE.some((pattern) => pattern.test(message))) return 'Unavailable';
  const first = message.split(' ', 1)[0] ?? '';
  const byReply = REPLY_CODES[first];
  if (byReply) return byReply;
  if (AUTH_MESSAGES.test(message)) return 'PermissionDenied';
  const cause = property(error, 'cause');
  if (cause !== undefined && cause !== error) return classifyRedisError(cause);
  return undefined;
}

const SECRET_COMMANDS = new Set(['auth', 'hello', 'migrate', 'config']);

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
  const previous = property(error, 'previousErrors');
  if (Array.isArray(previous)) for (const item of previous) scrubError(item);
  return error;
}
