import { describe, expect, it } from 'vitest';
import { createError, isMsgportError, MsgportError, QueueDoesNotExistError } from '../src/errors.js';

describe('errors', () => {
  it('builds the subclass that matches the code', () => {
    const err = createError('QueueDoesNotExist', 'no queue', { transport: 'memory' });
    expect(err).toBeInstanceOf(QueueDoesNotExistError);
    expect(err).toBeInstanceOf(MsgportError);
    expect(err.code).toBe('QueueDoesNotExist');
    expect(err.name).toBe('QueueDoesNotExistError');
    expect(err.retryable).toBe(false);
    expect(isMsgportError(err, 'QueueDoesNotExist')).toBe(true);
    expect(isMsgportError(err, 'Closed')).toBe(false);
  });
  it('marks Unavailable retryable and keeps the cause', () => {
    const cause = new Error('ECONNREFUSED');
    const err = createError('Unavailable', 'down', { cause });
    expect(err.retryable).toBe(true);
    expect(err.cause).toBe(cause);
  });
});
