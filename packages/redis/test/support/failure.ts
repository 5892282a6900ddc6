import { isMsgportError, type MsgportError } from '@msgport/core';

export interface Failure {
  readonly error: MsgportError;
  /** How long the call took to fail. */
  readonly ms: number;
}

/** Awaits a call that must fail with a MsgportError; resolves the error and the time to fail. */
export async function failure(promise: Promise<unknown>): Promise<Failure> {
  const started = Date.now();
  try {
    await promise;
  } catch (error) {
    if (!isMsgportError(error)) throw error;
    return { error, ms: Date.now() - started };
  }
  throw new Error('expected a rejection');
}
