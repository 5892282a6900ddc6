import type { ErrorCode } from '@msgport/core/driver';
import { normalizeAwsCode } from '@msgport/sqs';

// SNS error codes (API reference, query protocol `Code` and SDK exception names).
const SNS_CODES: Readonly<Record<string, ErrorCode>> = {
  NotFound: 'TopicDoesNotExist',
  NotFoundException: 'TopicDoesNotExist',
  InvalidParameter: 'InvalidParameter',
  InvalidParameterException: 'InvalidParameter',
  ParameterValueInvalid: 'InvalidParameter',
  InvalidParameterValueException: 'InvalidParameter',
  ValidationException: 'InvalidParameter',
  EmptyBatchRequest: 'EmptyBatchRequest',
  EmptyBatchRequestException: 'EmptyBatchRequest',
  InvalidBatchEntryId: 'InvalidBatchEntryId',
  InvalidBatchEntryIdException: 'InvalidBatchEntryId',
  TooManyEntriesInBatchRequest: 'InvalidParameter',
  TooManyEntriesInBatchRequestException: 'InvalidParameter',
  BatchEntryIdsNotDistinct: 'BatchEntryIdsNotDistinct',
  BatchEntryIdsNotDistinctException: 'BatchEntryIdsNotDistinct',
  BatchRequestTooLong: 'MessageTooLong',
  BatchRequestTooLongException: 'MessageTooLong',
  AuthorizationError: 'PermissionDenied',
  AuthorizationErrorException: 'PermissionDenied',
  FilterPolicyLimitExceeded: 'PermissionDenied',
  FilterPolicyLimitExceededException: 'PermissionDenied',
  SubscriptionLimitExceeded: 'PermissionDenied',
  SubscriptionLimitExceededException: 'PermissionDenied',
  TopicLimitExceeded: 'PermissionDenied',
  TopicLimitExceededException: 'PermissionDenied',
  KMSAccessDenied: 'PermissionDenied',
  KMSAccessDeniedException: 'PermissionDenied',
  KMSDisabled: 'PermissionDenied',
  KMSDisabledException: 'PermissionDenied',
  Throttled: 'Throttled',
  ThrottledException: 'Throttled',
  InternalError: 'Unavailable',
  InternalErrorException: 'Unavailable',
};

/** The portable code of an SNS error code, or `undefined` when it is not an SNS code. */
export function snsErrorCode(code: string): ErrorCode | undefined {
  return SNS_CODES[normalizeAwsCode(code)];
}
