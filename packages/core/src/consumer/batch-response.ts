/** A failure of some messages of a batch, and what it was (a per-message handler's thrown error). */
export interface ItemFailure {
  readonly error: unknown;
  readonly messageIds: readonly string[];
}

/** What became of a batch: every message succeeded, these ids failed, or the whole batch failed. */
export type BatchOutcome =
  | { readonly kind: 'success' }
  | {
      readonly kind: 'partial';
      readonly failedIds: ReadonlySet<string>;
      /** Why they failed, when known (per-message handlers); otherwise the handler reported them. */
      readonly errors?: readonly ItemFailure[];
    }
  | { readonly kind: 'failure'; readonly reason: string; readonly error?: unknown };

/**
 * Lambda's rules for a handler's return value. Without ReportBatchItemFailures the value is
 * ignored. With it: null/empty responses and empty or null lists are full success; anything
 * malformed (not an object, a non-list, an item without a non-empty `itemIdentifier` naming a
 * message of the batch) fails the whole batch.
 */
export function interpretBatchResponse(
  response: unknown,
  messageIds: readonly string[],
  reportBatchItemFailures: boolean,
): BatchOutcome {
  if (!reportBatchItemFailures || response === undefined || response === null) return { kind: 'success' };
  if (typeof response !== 'object' || Array.isArray(response)) {
    return { kind: 'failure', reason: 'the handler returned something other than a batch response object' };
  }
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'failure', reason: 'batchItemFailures is not a list' };
  if (failures.length === 0) return { kind: 'success' };
  const known = new Set(messageIds);
  const failedIds = new Set<string>();
  for (const item of failures) {
    const id =
      item !== null && typeof item === 'object' ? (item as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || id.length === 0) {
      return { kind: 'failure', reason: 'a batchItemFailures entry has no itemIdentifier' };
    }
    if (!known.has(id)) return { kind: 'failure', reason: `itemIdentifier "${id}" is not a message of this batch` };
    failedIds.add(id);
  }
  return { kind: 'partial', failedIds };
}

/**
 * FIFO: a failure returns the rest of its group's batch too, so the group's order holds on retry
 * (what Lambda asks FIFO handlers to report themselves).
 */
export function extendFailuresToGroupTail(
  failedIds: ReadonlySet<string>,
  messages: readonly { readonly messageId: string; readonly groupId: string | undefined }[],
): Set<string> {
  const failedGroups = new Set<string | undefined>();
  const out = new Set<string>();
  for (const message of messages) {
    if (failedIds.has(message.messageId)) failedGroups.add(message.groupId);
    if (failedGroups.has(message.groupId)) out.add(message.messageId);
  }
  return out;
}
