import { BatchEntryIdsNotDistinctError, InvalidParameterError, ReceiptHandleIsInvalidError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { describe } from './ranges.js';

const ENTRY_ID = /^[A-Za-z0-9_-]+$/;

/** Whole-request checks on batch entry ids (SQS `InvalidBatchEntryId`, `BatchEntryIdsNotDistinct`). */
export function assertBatchEntryIds(entries: ReadonlyArray<{ readonly id: unknown }>): void {
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new InvalidParameterError('a batch needs at least one entry');
  }
  const seen = new Set<string>();
  for (const entry of entries) {
    const id = entry?.id;
    if (typeof id !== 'string' || id.length === 0 || id.length > LIMITS.batchEntryIdMaxLength || !ENTRY_ID.test(id)) {
      throw new InvalidParameterError(
        `batch entry id ${describe(id)} must be 1 to ${LIMITS.batchEntryIdMaxLength} characters of letters, digits, "-" and "_"`,
      );
    }
    if (seen.has(id)) throw new BatchEntryIdsNotDistinctError(`batch entry id "${id}" is used more than once`);
    seen.add(id);
  }
}

export function assertReceiptHandle(handle: unknown): asserts handle is string {
  if (typeof handle !== 'string' || handle.length === 0 || handle.length > LIMITS.receiptHandleMaxLength) {
    throw new ReceiptHandleIsInvalidError(
      `receipt handle must be a non-empty string of at most ${LIMITS.receiptHandleMaxLength} characters, got ${describe(handle)}`,
    );
  }
}
