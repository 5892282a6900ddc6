import type { ErrorCode } from '@msgport/core/driver';
import { awsErrorCodes, normalizeAwsCode, snsErrorCode } from '@msgport/sns';

/**
 * SQS error codes by their JSON-protocol name and their legacy query code (the `x-amzn-query-error`
 * header, `AWS.SimpleQueueService.` prefix removed). Sources: the SQS API reference error lists and
 * the SDK's `awsQueryError` traits (research note §1.15).
 */
const SQS_CODES: Readonly<Record<string, ErrorCode>> = {
  QueueDoesNotExist: 'QueueDoesNotExist',
  NonExistentQueue: 'QueueDoesNotExist',
  QueueNameExists: 'QueueAlreadyExists',
  QueueAlreadyExists: 'QueueAlreadyExists',
  // Re-creating a queue within 60 s of deleting it: retryable once the minute has passed.
  QueueDeletedRecently: 'Unavailable',
  PurgeQueueInProgress: 'PurgeInProgress',
  MessageNotInflight: 'MessageNotInflight',
  ReceiptHandleIsInvalid: 'ReceiptHandleIsInvalid',
  InvalidIdFormat: 'ReceiptHandleIsInvalid',
  InvalidMessageContents: 'InvalidMessageContents',
  BatchEntryIdsNotDistinct: 'BatchEntryIdsNotDistinct',
  BatchRequestTooLong: 'MessageTooLong',
  EmptyBatchRequest: 'InvalidParameter',
  TooManyEntriesInBatchRequest: 'InvalidParameter',
  InvalidBatchEntryId: 'InvalidParameter',
  InvalidAttributeName: 'InvalidParameter',
  InvalidAttributeValue: 'InvalidParameter',
  InvalidParameterValue: 'InvalidParameter',
  InvalidParameterCombination: 'InvalidParameter',
  MissingParameter: 'InvalidParameter',
  UnsupportedOperation: 'InvalidParameter',
  InvalidAddress: 'InvalidParameter',
  ResourceNotFoundException: 'InvalidParameter',
  OverLimit: 'Throttled',
  RequestThrottled: 'Throttled',
  ThrottlingException: 'Throttled',
  Throttling: 'Throttled',
  TooManyRequestsException: 'Throttled',
  InvalidSecurity: 'PermissionDenied',
  AccessDenied: 'PermissionDenied',
  AccessDeniedException: 'PermissionDenied',
  InvalidClientTokenId: 'PermissionDenied',
  SignatureDoesNotMatch: 'PermissionDenied',
  IncompleteSignature: 'PermissionDenied',
  UnrecognizedClientException: 'PermissionDenied',
  MissingAuthenticationToken: 'PermissionDenied',
  ExpiredToken: 'PermissionDenied',
  ExpiredTokenException: 'PermissionDenied',
  CredentialsProviderError: 'PermissionDenied',
  ServiceUnavailable: 'Unavailable',
  InternalFailure: 'Unavailable',
  InternalError: 'Unavailable',
  RequestTimeout: 'Unavailable',
  TimeoutError: 'Unavailable',
  AbortError: 'Aborted',
};

/** Node and SDK transport failures: the endpoint cannot be reached right now. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The portable code of an SQS or SNS error code as it appears in a batch result entry. */
export function errorCodeOf(code: string): ErrorCode {
  const normalized = normalizeAwsCode(code);
  if (normalized.startsWith('KMS.')) return 'PermissionDenied';
  return SQS_CODES[normalized] ?? snsErrorCode(normalized) ?? 'Internal';
}

/**
 * Maps a raw error of the AWS SDK (or of Node's HTTP stack beneath it) to a portable code;
 * `undefined` leaves it `Internal`. Both the JSON name and the legacy query code are understood.
 */
export function classifyAwsError(error: unknown): ErrorCode | undefined {
  for (const code of awsErrorCodes(error)) {
    if (NETWORK_CODES.has(code)) return 'Unavailable';
    if (code.startsWith('KMS.')) return 'PermissionDenied';
    const mapped = SQS_CODES[code] ?? snsErrorCode(code);
    if (mapped) return mapped;
  }
  if (error === null || typeof error !== 'object') return undefined;
  const record = error as { message?: unknown; $metadata?: { httpStatusCode?: unknown }; cause?: unknown };
  if (typeof record.message === 'string' && /socket hang up|ECONNRESET|ECONNREFUSED/.test(record.message)) {
    return 'Unavailable';
  }
  const status = record.$metadata?.httpStatusCode;
  if (typeof status === 'number') {
    if (status === 429) return 'Throttled';
    if (status >= 500) return 'Unavailable';
    if (status === 401 || status === 403) return 'PermissionDenied';
  }
  if (record.cause !== undefined && record.cause !== error) return classifyAwsError(record.cause);
  return undefined;
}
