import type { BatchResultErrorEntry, SendMessageBatchResultEntry } from '@aws-sdk/client-sqs';
import type {
  DriverBatchFailure,
  DriverBatchResult,
  DriverEntryResult,
  DriverSendEntry,
  DriverSendResult,
} from '@msgport/core/driver';
import { errorCodeOf } from './classify-error.js';
import { digestMismatch } from './md5.js';

export function fromFailedEntries(entries: readonly BatchResultErrorEntry[] | undefined): DriverBatchFailure[] {
  return (entries ?? []).map((entry) => ({
    id: entry.Id ?? '',
    code: errorCodeOf(entry.Code ?? ''),
    message: entry.Message ?? entry.Code ?? 'the entry failed',
    senderFault: entry.SenderFault ?? false,
  }));
}

export function fromEntryResults(
  successful: readonly { Id?: string | undefined }[] | undefined,
  failed: readonly BatchResultErrorEntry[] | undefined,
): DriverBatchResult<DriverEntryResult> {
  return {
    successful: (successful ?? []).map((entry) => ({ id: entry.Id ?? '' })),
    failed: fromFailedEntries(failed),
  };
}

/**
 * Send results with the digests SQS computed checked against what was sent: a mismatch means the
 * body or attributes changed on the way, so the entry is reported failed (`Internal`, not the
 * sender's fault) rather than silently accepted.
 */
export function fromSendResults(
  entries: readonly DriverSendEntry[],
  successful: readonly SendMessageBatchResultEntry[] | undefined,
  failed: readonly BatchResultErrorEntry[] | undefined,
): DriverBatchResult<DriverSendResult> & { readonly digestMismatches: number } {
  const result: DriverBatchResult<DriverSendResult> = { successful: [], failed: fromFailedEntries(failed) };
  let digestMismatches = 0;
  let position = 0;
  for (const entry of successful ?? []) {
    const id = entry.Id ?? '';
    // SQS answers in request order: look ahead from the last match before searching the whole batch
    const next = entries[position];
    const sent = next?.id === id ? next : entries.find((candidate) => candidate.id === id);
    if (sent) position = sent === next ? position + 1 : entries.indexOf(sent) + 1;
    const mismatch =
      sent &&
      digestMismatch({
        body: sent.body,
        attributes: sent.attributes,
        md5OfBody: entry.MD5OfMessageBody,
        md5OfAttributes: entry.MD5OfMessageAttributes,
      });
    if (mismatch) {
      digestMismatches++;
      result.failed.push({
        id,
        code: 'Internal',
        message: `sent message failed its digest check: ${mismatch}`,
        senderFault: false,
      });
      continue;
    }
    result.successful.push(
      entry.SequenceNumber !== undefined
        ? { id, messageId: entry.MessageId ?? '', sequenceNumber: entry.SequenceNumber }
        : { id, messageId: entry.MessageId ?? '' },
    );
  }
  return { ...result, digestMismatches };
}
