import { describe, expect, it } from 'vitest';
import { isNetworkError, NETWORK_ERROR_CODES } from '../../src/driver/index.js';

const coded = (code: string, extra: object = {}) => Object.assign(new Error(code), { code }, extra);

describe('isNetworkError', () => {
  it.each([...NETWORK_ERROR_CODES])('%s is a network error', (code) => {
    expect(isNetworkError(coded(code))).toBe(true);
  });

  it('looks through causes and aggregate errors', () => {
    expect(isNetworkError(new Error('wrapped', { cause: coded('ECONNRESET') }))).toBe(true);
    expect(isNetworkError(new AggregateError([new Error('x'), coded('ECONNREFUSED')], 'all failed'))).toBe(true);
  });

  it('anything else is not one', () => {
    for (const value of [undefined, null, 'ECONNRESET', 42, new Error('ECONNRESET'), coded('ENOENT'), { code: 404 }]) {
      expect(isNetworkError(value)).toBe(false);
    }
    const loop: { code?: string; cause?: unknown } = {};
    loop.cause = loop;
    expect(isNetworkError(loop)).toBe(false);
  });
});
