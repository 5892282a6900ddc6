import { AbortedError, QueueDoesNotExistError, UnavailableError } from '@msgport/core/driver';
import { isNotFound } from './channel-slot.js';
import { describe, TRANSPORT_NAME } from './connection.js';

export function queueGone(queue: string): QueueDoesNotExistError {
  return new QueueDoesNotExistError(`queue "${queue}" does not exist`, { transport: TRANSPORT_NAME });
}

/** What a failed receive reports: a 404 is a missing queue, anything else is `Unavailable` (retryable). */
export function receiveError(queue: string, error: unknown): Error {
  if (error instanceof AbortedError || error instanceof QueueDoesNotExistError) return error;
  if (isNotFound(error)) return queueGone(queue);
  return new UnavailableError(`receive from "${queue}" failed: ${describe(error)}`, {
    cause: error,
    transport: TRANSPORT_NAME,
  });
}
