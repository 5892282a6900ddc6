/**
 * The error taxonomy. Every failure a user sees is a `MsgportError` whose `code` never changes once
 * published; drivers classify their raw errors and core wraps them exactly once.
 */

export type ErrorCode =
  | 'QueueDoesNotExist'
  | 'TopicDoesNotExist'
  | 'SubscriptionDoesNotExist'
  | 'QueueAlreadyExists'
  | 'InvalidParameter'
  | 'InvalidMessageContents'
  | 'MessageTooLong'
  | 'BatchEntryIdsNotDistinct'
  | 'EmptyBatchRequest'
  | 'InvalidBatchEntryId'
  | 'InvalidAttributeName'
  | 'ReceiptHandleIsInvalid'
  | 'MessageNotInflight'
  | 'PurgeInProgress'
  | 'UnsupportedCapability'
  | 'Unavailable'
  | 'PermissionDenied'
  | 'Throttled'
  | 'Timeout'
  | 'Closed'
  | 'Aborted'
  | 'Internal';

const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set(['Unavailable', 'Throttled', 'Timeout']);

export interface MsgportErrorOptions {
  cause?: unknown;
  retryable?: boolean;
  transport?: string;
}

export class MsgportError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly transport: string | undefined;

  constructor(code: ErrorCode, message: string, options: MsgportErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE_CODES.has(code);
    this.transport = options.transport;
  }
}

type CodedErrorClass = new (message: string, options?: MsgportErrorOptions) => MsgportError;

function codedError(code: ErrorCode): CodedErrorClass {
  return class extends MsgportError {
    constructor(message: string, options?: MsgportErrorOptions) {
      super(code, message, options);
    }
  };
}

export class QueueDoesNotExistError extends codedError('QueueDoesNotExist') {}
export class TopicDoesNotExistError extends codedError('TopicDoesNotExist') {}
export class SubscriptionDoesNotExistError extends codedError('SubscriptionDoesNotExist') {}
export class QueueAlreadyExistsError extends codedError('QueueAlreadyExists') {}
export class InvalidParameterError extends codedError('InvalidParameter') {}
export class InvalidMessageContentsError extends codedError('InvalidMessageContents') {}
export class MessageTooLongError extends codedError('MessageTooLong') {}
export class BatchEntryIdsNotDistinctError extends codedError('BatchEntryIdsNotDistinct') {}
export class EmptyBatchRequestError extends codedError('EmptyBatchRequest') {}
export class InvalidBatchEntryIdError extends codedError('InvalidBatchEntryId') {}
export class InvalidAttributeNameError extends codedError('InvalidAttributeName') {}
export class ReceiptHandleIsInvalidError extends codedError('ReceiptHandleIsInvalid') {}
export class MessageNotInflightError extends codedError('MessageNotInflight') {}
export class PurgeInProgressError extends codedError('PurgeInProgress') {}
export class UnsupportedCapabilityError extends codedError('UnsupportedCapability') {}
export class UnavailableError extends codedError('Unavailable') {}
export class PermissionDeniedError extends codedError('PermissionDenied') {}
export class ThrottledError extends codedError('Throttled') {}
/** A call outlived its deadline; its effect is unknown (a send may have happened), so it is retryable. */
export class TimeoutError extends codedError('Timeout') {}
export class ClosedError extends codedError('Closed') {}
export class AbortedError extends codedError('Aborted') {}
export class InternalError extends codedError('Internal') {}

const CLASS_BY_CODE: Record<ErrorCode, CodedErrorClass> = {
  QueueDoesNotExist: QueueDoesNotExistError,
  TopicDoesNotExist: TopicDoesNotExistError,
  SubscriptionDoesNotExist: SubscriptionDoesNotExistError,
  QueueAlreadyExists: QueueAlreadyExistsError,
  InvalidParameter: InvalidParameterError,
  InvalidMessageContents: InvalidMessageContentsError,
  MessageTooLong: MessageTooLongError,
  BatchEntryIdsNotDistinct: BatchEntryIdsNotDistinctError,
  EmptyBatchRequest: EmptyBatchRequestError,
  InvalidBatchEntryId: InvalidBatchEntryIdError,
  InvalidAttributeName: InvalidAttributeNameError,
  ReceiptHandleIsInvalid: ReceiptHandleIsInvalidError,
  MessageNotInflight: MessageNotInflightError,
  PurgeInProgress: PurgeInProgressError,
  UnsupportedCapability: UnsupportedCapabilityError,
  Unavailable: UnavailableError,
  PermissionDenied: PermissionDeniedError,
  Throttled: ThrottledError,
  Timeout: TimeoutError,
  Closed: ClosedError,
  Aborted: AbortedError,
  Internal: InternalError,
};

/** Builds the subclass that belongs to `code`, so `instanceof` and `code` always agree. */
export function createError(code: ErrorCode, message: string, options?: MsgportErrorOptions): MsgportError {
  return new CLASS_BY_CODE[code](message, options);
}

export function isMsgportError(value: unknown, code?: ErrorCode): value is MsgportError {
  return value instanceof MsgportError && (code === undefined || value.code === code);
}
