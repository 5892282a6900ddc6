import {
  BatchEntryIdsNotDistinctError,
  EmptyBatchRequestError,
  InvalidBatchEntryIdError,
  InvalidParameterError,
  ReceiptHandleIsInvalidError,
} from '../errors.js';
import { LIMITS } from '../limits.js';
import { describe, quote } from './ranges.js';

/**
 * Whole-request checks, as SQS and SNS make them: no entries is `EmptyBatchRequest`; an id that is
 * not 1–80 of `[A-Za-z0-9_-]` (or an entry without one) is `InvalidBatchEntryId`; a repeated id is
 * `BatchEntryIdsNotDistinct`. Something other than an array is `InvalidParameter`.
 */
export function assertBatchEntryIds(entries: ReadonlyArray<{ readonly id: unknown }>): void {
  if (!Array.isArray(entries))
    throw new InvalidParameterError(`a batch must be an array of entries, got ${describe(entries)}`);
  if (entries.length === 0) throw new EmptyBatchRequestError('a batch needs at least one entry');
  // Most batches are small (the transport takes 10): a scan beats building a Set for the duplicate check.
  const small = entries.length <= 32;
  const seenList: string[] = [];
  const seenSet = small ? undefined : new Set<string>();
  for (const entry of entries) {
    const id = typeof entry === 'object' && entry !== null ? entry.id : undefined;
    if (typeof id !== 'string' || !isEntryId(id)) {
      throw new InvalidBatchEntryIdError(
        `batch entry id ${quote(id)} must be 1 to ${LIMITS.batchEntryIdMaxLength} characters of letters, digits, "-" and "_"`,
      );
    }
    if (seenSet ? seenSet.has(id) : seenList.includes(id)) {
      throw new BatchEntryIdsNotDistinctError(`batch entry id "${id}" is used more than once`);
    }
    if (seenSet) seenSet.add(id);
    else seenList.push(id);
  }
}

function isEntryId(id: string): boolean {
  if (id.length === 0 || id.length > LIMITS.batchEntryIdMaxLength) return false;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;
    if (!ok) return false;
  }
  return true;
}

export function assertReceiptHandle(handle: unknown): asserts handle is string {
  if (typeof handle !== 'string' || handle.length === 0 || handle.length > LIMITS.receiptHandleMaxLength) {
    throw new ReceiptHandleIsInvalidError(
      `receipt handle must be a non-empty string of at most ${LIMITS.receiptHandleMaxLength} characters, got ${describe(handle)}`,
    );
  }
}
