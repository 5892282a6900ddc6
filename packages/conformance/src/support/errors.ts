import { type ErrorCode, MsgportError } from '@msgport/core';
import { expect } from 'vitest';

/**
 * Runs `action` (sync throw or rejection both count) and asserts it fails with a `MsgportError` of
 * `code` (or one of `code`); returns the error for further checks.
 */
export async function expectError(
  action: (() => unknown) | Promise<unknown>,
  code: ErrorCode | readonly ErrorCode[],
): Promise<MsgportError> {
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
  try {
    const value = typeof action === 'function' ? await action() : await action;
    outcome = { ok: true, value };
  } catch (error) {
    outcome = { ok: false, error };
  }
  const codes = typeof code === 'string' ? [code] : code;
  if (outcome.ok) {
    expect.fail(`expected a MsgportError with code ${codes.join(' or ')}, but the call succeeded`);
  }
  const { error } = outcome;
  if (!(error instanceof MsgportError)) {
    expect.fail(`expected a MsgportError with code ${codes.join(' or ')}, got ${String(error)}`);
  }
  expect(codes, `error code of: ${error.message}`).toContain(error.code);
  expect(error.message.length).toBeGreaterThan(0);
  expect(typeof error.retryable).toBe('boolean');
  return error;
}
