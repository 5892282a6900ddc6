import { type ErrorCode, isMsgportError, MsgportError, redactCredentials } from '@msgport/core/driver';

const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Maps a raw amqplib or socket error to a portable code. AMQP reply codes: 403 ACCESS_REFUSED,
 * 404 NOT_FOUND, 405 RESOURCE_LOCKED, 406 PRECONDITION_FAILED, 320 CONNECTION_FORCED, 5xx
 * connection-level failures. The driver turns 404s into `QueueDoesNotExist` / `TopicDoesNotExist`
 * itself where it knows which resource was meant.
 */
export function classifyRabbitError(error: unknown): ErrorCode | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_SOCKET_CODES.has(code)) return 'Unavailable';
  if (typeof code === 'number') {
    if (code === 403 || code === 530) return 'PermissionDenied';
    if (code === 404) return 'QueueDoesNotExist';
    if (code === 406) return 'InvalidParameter';
    if (code === 405 || code === 320 || code >= 500) return 'Unavailable';
  }
  if (error.name === 'IllegalOperationError') return 'Unavailable';
  const text = error.message;
  if (/ACCESS[-_]REFUSED/.test(text)) return 'PermissionDenied';
  // A virtual host that is missing or not allowed closes the connection during its opening.
  if (/NOT[-_]ALLOWED|Expected ConnectionOpenOk/.test(text)) return 'PermissionDenied';
  if (/channel (closed|ended)|connection closed|socket closed|heartbeat timeout/i.test(text)) return 'Unavailable';
  return undefined;
}

/** The portable code of any error the driver meets: a typed error's own, else `classifyRabbitError`'s, else `Internal`. */
export function errorCodeOf(error: unknown): ErrorCode {
  return isMsgportError(error) ? error.code : (classifyRabbitError(error) ?? 'Internal');
}

/**
 * A raw amqplib or socket error as a typed error: its code from `classifyRabbitError` (`fallback`
 * when it has none), `what` as the message's start and the raw message (credentials redacted) after it.
 */
export function rabbitError(what: string, error: unknown, fallback: ErrorCode = 'Unavailable'): MsgportError {
  if (error instanceof MsgportError) return error;
  const code = classifyRabbitError(error) ?? fallback;
  const text = redactCredentials(error instanceof Error ? error.message : String(error));
  return new MsgportError(code, `${what}: ${text}`, { cause: error, transport: 'rabbitmq' });
}
