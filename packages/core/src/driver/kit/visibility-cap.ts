import { InvalidParameterError, type MsgportErrorOptions } from '../../errors.js';
import { LIMITS } from '../../limits.js';

const CAP_MS = LIMITS.visibilityTimeoutMaxSeconds * 1000;

/**
 * The latest moment a message received at `receivedAt` may stay invisible: "12 hours from the time
 * that Amazon SQS receives the ReceiveMessage request"; extending it "does not reset the 12 hour
 * maximum" (SQS Developer Guide, "Amazon SQS visibility timeout").
 */
export function visibilityDeadline(receivedAt: number): number {
  return receivedAt + CAP_MS;
}

/**
 * The error for a visibility change of `seconds` at `now` that would pass the 12-hour cap, or
 * `undefined` when it is allowed. SQS "doesn't automatically recalculate and increase the timeout to
 * the maximum remaining time" (API reference, ChangeMessageVisibility), so neither does msgport.
 */
export function visibilityCapError(
  receivedAt: number,
  now: number,
  seconds: number,
  options?: MsgportErrorOptions,
): InvalidParameterError | undefined {
  const deadline = visibilityDeadline(receivedAt);
  if (now + seconds * 1000 <= deadline) return undefined;
  const remaining = Math.max(0, Math.floor((deadline - now) / 1000));
  return new InvalidParameterError(
    `visibility timeout of ${seconds} s would exceed 12 hours from the receive; at most ${remaining} s remain`,
    options,
  );
}
