import { describe, expect, it } from 'vitest';
import { compileFilterPolicy, matchesFilterPolicy } from '../../src/filter-policy/index.js';
import { filterCases } from './filter-cases.js';

describe('filter policy table (SNS guide examples and SNS-recorded cases)', () => {
  it('has unique case names', () => {
    expect(new Set(filterCases.map((c) => c.name)).size).toBe(filterCases.length);
  });

  it.each(filterCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const input = { attributes: c.attributes ?? {}, body: c.body ?? 'message' };
    expect(compileFilterPolicy(c.policy, c.scope)(input)).toBe(c.expected);
    expect(matchesFilterPolicy(c.policy, input, c.scope)).toBe(c.expected);
  });
});
