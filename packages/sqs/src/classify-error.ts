import { type ErrorCode, isNetworkError } from '@msgport/core/driver';
import { awsErrorCodes, normalizeAwsCode } from './aws-error-codes.js';

/** The codes of another AWS service the driver talks to (SNS topics): its code → portable code. */
export type ServiceErrorCodes = (code: string) => ErrorCode | undefined;

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
  EmptyBatchRequest: 'EmptyBatchRequest',
  TooManyEntriesInBatchRequest: 'InvalidParameter',
  InvalidBatchEntryId: 'InvalidBatchEntryId',
  InvalidAttributeName: 'InvalidAttributeName',
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
  // the SDK's requestTimeout / connectionTimeout (see clients.ts)
  TimeoutError: 'Timeout',
  AbortError: 'Aborted',
};

/**
 * The endpoint answered, but not in HTTP (Node's parser: `HPE_*`) or not in TLS (`EPROTO`,
 * `ERR_SSL_*`): a wrong port or a broken proxy, as unreachable for the caller as a refused connection.
 */
function isBrokenPeer(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('HPE_') || code === 'EPROTO' || code.startsWith('ERR_SSL_'));
}

/** The portable code of an SQS error code (or, through `other`, another service's) as a batch result entry gives it. */
export function errorCodeOf(code: string, other?: ServiceErrorCodes): ErrorCode {
  const normalized = normalizeAwsCode(code);
  if (normalized.startsWith('KMS.')) return 'PermissionDenied';
  return SQS_CODES[normalized] ?? other?.(normalized) ?? 'Internal';
}

/**
 * Maps a raw error of the AWS SDK (or of Node's HTTP stack beneath it) to a portable code;
 * `undefined` leaves it `Internal`. Both the JSON name and the legacy query code are understood;
 * `other` adds the codes of a second service (`@msgport/sns` passes SNS's).
 */
export function classifyAwsError(error: unknown, other?: ServiceErrorCodes): ErrorCode | undefined {
  if (isNetworkError(error) || isBrokenPeer(error)) return 'Unavailable';
  for (const code of awsErrorCodes(error)) {
    if (code.startsWith('KMS.')) return 'PermissionDenied';
    const mapped = SQS_CODES[code] ?? other?.(code);
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
  if (record.cause !== undefined && record.cause !== error) return classifyAwsError(record.cause, other);
  return undefined;
}
