import { describe, expect, it } from 'vitest';
import { InvalidParameterError, visibilityCapError, visibilityDeadline } from '../../src/driver/index.js';

const HOUR = 3_600_000;

describe('the 12-hour visibility cap', () => {
  it('counts from the receive, not from the last change', () => {
    expect(visibilityDeadline(1_000)).toBe(1_000 + 12 * HOUR);
    expect(visibilityCapError(0, 0, 43_200)).toBeUndefined();
    expect(visibilityCapError(0, 10_000, 43_190)).toBeUndefined();
    expect(visibilityCapError(0, 10_000, 43_191)).toBeInstanceOf(InvalidParameterError);
  });

  it('names the seconds that remain, never negative, and carries the transport', () => {
    const error = visibilityCapError(0, 6 * HOUR + 500, 43_200, { transport: 'memory' });
    expect(error?.code).toBe('InvalidParameter');
    expect(error?.message).toMatch(/at most 21599 s remain/);
    expect(error?.transport).toBe('memory');
    expect(visibilityCapError(0, 13 * HOUR, 1)?.message).toMatch(/at most 0 s remain/);
  });

  it('visibility 0 is always allowed within the window', () => {
    expect(visibilityCapError(0, 12 * HOUR, 0)).toBeUndefined();
  });
});
