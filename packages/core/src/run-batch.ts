import type { DriverBatchFailure, DriverBatchResult } from './driver/driver.js';
import { isMsgportError, type MsgportError } from './errors.js';
import { assertBatchEntryIds } from './validation/batch.js';

export type BatchFailure = DriverBatchFailure;

export interface BatchResult<T> {
  /** In the order of the request's entries. */
  readonly successful: T[];
  readonly failed: BatchFailure[];
}

interface BatchPlan<
  E extends { readonly id: string },
  P extends { readonly id: string },
  R extends { readonly id: string },
> {
  readonly entries: readonly E[];
  /** Validates one entry; a thrown `MsgportError` fails that entry alone. */
  readonly prepare: (entry: E) => P;
  readonly chunk: (prepared: P[]) => P[][];
  readonly execute: (chunk: P[]) => Promise<DriverBatchResult<R>>;
  readonly wrap: (error: unknown) => MsgportError;
}

/**
 * Runs a batch operation of any size: ids checked for the whole request, entries validated one by
 * one, chunks sent to the driver. A failure of the first chunk is the request's failure (nothing
 * applied); a failure of a later chunk fails that chunk's entries so earlier progress stays visible.
 */
export async function runBatch<
  E extends { readonly id: string },
  P extends { readonly id: string },
  R extends { readonly id: string },
>(plan: BatchPlan<E, P, R>): Promise<BatchResult<R>> {
  assertBatchEntryIds(plan.entries);
  const failed: BatchFailure[] = [];
  const prepared: P[] = new Array(plan.entries.length);
  let valid = 0;
  for (const entry of plan.entries) {
    try {
      prepared[valid] = plan.prepare(entry);
      valid++;
    } catch (error) {
      if (!isMsgportError(error)) throw error;
      failed.push({ id: entry.id, code: error.code, message: error.message, senderFault: true });
    }
  }
  if (valid < prepared.length) prepared.length = valid;
  const chunks = plan.chunk(prepared);
  if (chunks.length === 1 && failed.length === 0) {
    // The common case: every entry valid, one driver call. Its result is the request's, once in order.
    const result = await executeFirst(plan, chunks[0] as P[]);
    if (result.failed.length === 0 && inInputOrder(result.successful, plan.entries)) {
      return { successful: result.successful, failed: [] };
    }
    return inputOrder(plan.entries, [...result.successful], [...result.failed]);
  }
  const successful: R[] = [];
  for (let index = 0; index < chunks.length; index++) {
    const chunk = chunks[index] as P[];
    try {
      const result = await plan.execute(chunk);
      for (const item of result.successful) successful.push(item);
      for (const item of result.failed) failed.push(item);
    } catch (raw) {
      const error = plan.wrap(raw);
      if (index === 0) throw error;
      for (const entry of chunk) {
        failed.push({ id: entry.id, code: error.code, message: error.message, senderFault: false });
      }
    }
  }
  if (failed.length === 0 && inInputOrder(successful, plan.entries)) return { successful, failed };
  return inputOrder(plan.entries, successful, failed);
}

async function executeFirst<
  E extends { readonly id: string },
  P extends { readonly id: string },
  R extends { readonly id: string },
>(plan: BatchPlan<E, P, R>, chunk: P[]): Promise<DriverBatchResult<R>> {
  try {
    return await plan.execute(chunk);
  } catch (raw) {
    throw plan.wrap(raw);
  }
}

function inputOrder<R extends { readonly id: string }>(
  entries: readonly { readonly id: string }[],
  successful: R[],
  failed: BatchFailure[],
): BatchResult<R> {
  const order = new Map(entries.map((entry, index) => [entry.id, index]));
  const byInputOrder = (a: { id: string }, b: { id: string }) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0);
  return { successful: successful.sort(byInputOrder), failed: failed.sort(byInputOrder) };
}

function inInputOrder(
  results: readonly { readonly id: string }[],
  entries: readonly { readonly id: string }[],
): boolean {
  if (results.length !== entries.length) return false;
  for (let i = 0; i < results.length; i++) if (results[i]?.id !== entries[i]?.id) return false;
  return true;
}
