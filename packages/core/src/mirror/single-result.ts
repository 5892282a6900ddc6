import type { DriverSendResult } from '../driver/driver.js';
import { createError } from '../errors.js';
import type { BatchResult } from '../run-batch.js';

/** The outcome of a one-entry batch as `send`/`publish` return it: its ids, or its failure thrown. */
export function singleResult(
  result: BatchResult<DriverSendResult>,
  transport?: string,
): { messageId: string; sequenceNumber?: string } {
  const failure = result.failed[0];
  if (failure) throw createError(failure.code, failure.message, transport !== undefined ? { transport } : {});
  const sent = result.successful[0] as DriverSendResult;
  return {
    messageId: sent.messageId,
    ...(sent.sequenceNumber !== undefined ? { sequenceNumber: sent.sequenceNumber } : {}),
  };
}
