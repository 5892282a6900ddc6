/**
 * Error codes meaning "the server cannot be reached or the connection broke": Node's socket and DNS
 * errors (https://nodejs.org/api/errors.html#common-system-errors) and undici's socket errors.
 */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_SOCKET_CLOSED',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const MAX_DEPTH = 5;

/**
 * True when `error`, a `cause` behind it, or a member of an `AggregateError` (Node reports a refused
 * connection to every address of a host as one) carries a network error code.
 */
export function isNetworkError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > MAX_DEPTH) return false;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return true;
  if (Array.isArray(errors) && errors.some((member) => isNetworkError(member, depth + 1))) return true;
  return cause !== undefined && cause !== error && isNetworkError(cause, depth + 1);
}
