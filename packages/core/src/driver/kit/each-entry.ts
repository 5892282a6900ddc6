import { type ErrorCode, isMsgportError, type MsgportError } from '../../errors.js';
import type { DriverBatchFailure, DriverBatchResult } from '../driver.js';

/** A batch entry's failure from the error that failed it; retryable errors are not the sender's fault. */
export function entryFailure(id: string, error: MsgportError): DriverBatchFailure {
  return { id, code: error.code, message: error.message, senderFault: !error.retryable };
}

/**
 * Applies `apply` to each entry: an entry whose `apply` throws a `MsgportError` fails alone, the
 * others succeed (SQS batch semantics). Any other error is a failure of the whole call and propagates.
 */
export function eachEntry<E extends { readonly id: string }, R>(
  entries: readonly E[],
  apply: (entry: E) => R,
): DriverBatchResult<R> {
  const result: DriverBatchResult<R> = { successful: [], failed: [] };
  for (const entry of entries) {
    try {
      result.successful.push(apply(entry));
    } catch (error) {
      if (!isMsgportError(error)) throw error;
      result.failed.push(entryFailure(entry.id, error));
    }
  }
  return result;
}

/**
 * `eachEntry` for asynchronous work, all entries at once. A raw error is classified (`classify`, the
 * driver's `classifyError`) and fails its entry as not the sender's fault. When no entry succeeded and
 * none failed for the sender's reasons, the first error is thrown instead, so core can retry the whole
 * call when it is retryable.
 */
export async function eachEntryAsync<E extends { readonly id: string }, R>(
  entries: readonly E[],
  apply: (entry: E) => Promise<R>,
  classify: (error: unknown) => ErrorCode | undefined = () => undefined,
): Promise<DriverBatchResult<R>> {
  const settled = await Promise.allSettled(entries.map((entry) => apply(entry)));
  const result: DriverBatchResult<R> = { successful: [], failed: [] };
  let firstError: unknown;
  let senderFaults = 0;
  settled.forEach((outcome, index) => {
    if (outcome.status === 'fulfilled') {
      result.successful.push(outcome.value);
      return;
    }
    const id = (entries[index] as E).id;
    const reason: unknown = outcome.reason;
    firstError ??= reason;
    const failure: DriverBatchFailure = isMsgportError(reason)
      ? entryFailure(id, reason)
      : {
          id,
          code: classify(reason) ?? 'Internal',
          message: reason instanceof Error ? reason.message : String(reason),
          senderFault: false,
        };
    if (failure.senderFault) senderFaults++;
    result.failed.push(failure);
  });
  if (result.successful.length === 0 && result.failed.length > 0 && senderFaults === 0) throw firstError;
  return result;
}
