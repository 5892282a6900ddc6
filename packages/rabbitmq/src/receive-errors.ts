import { AbortedError, QueueDoesNotExistError } from '@msgport/core/driver';
import { isNotFound } from './channel-slot.js';
import { rabbitError } from './classify-error.js';
import { TRANSPORT_NAME } from './connection.js';

export function queueGone(queue: string): QueueDoesNotExistError {
  return new QueueDoesNotExistError(`queue "${queue}" does not exist`, { transport: TRANSPORT_NAME });
}

/**
 * What a failed receive reports: a 404 is a missing queue; anything else as `classifyRabbitError`
 * says (a 403 is `PermissionDenied`), `Unavailable` (retryable) when it does not know the error.
 */
export function receiveError(queue: string, error: unknown): Error {
  if (error instanceof AbortedError || error instanceof QueueDoesNotExistError) return error;
  if (isNotFound(error)) return queueGone(queue);
  return rabbitError(`receive from "${queue}" failed`, error);
}
