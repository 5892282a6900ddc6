import { describe, expect, it } from 'vitest';
import { DEFAULT_DEADLINES, resolveDeadlines } from '../../src/deadlines.js';
import { BrokerUrl } from '../../src/url/broker-url.js';

describe('resolveDeadlines', () => {
  it('takes options over URL parameters over defaults', () => {
    expect(resolveDeadlines(undefined)).toEqual(DEFAULT_DEADLINES);
    const url = BrokerUrl.parse('redis://h?connectTimeoutMs=500&callTimeoutMs=2000');
    expect(resolveDeadlines(url)).toEqual({ connectTimeoutMs: 500, callTimeoutMs: 2000 });
    expect(resolveDeadlines(url, { callTimeoutMs: 7 })).toEqual({ connectTimeoutMs: 500, callTimeoutMs: 7 });
  });

  it.each(['0', '-1', '1.5', 'abc', '9999999999'])('rejects callTimeoutMs=%s', (text) => {
    expect(() => resolveDeadlines(BrokerUrl.parse(`redis://h?callTimeoutMs=${text}`))).toThrow(
      expect.objectContaining({ code: 'InvalidParameter' }),
    );
  });
});
