import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../src/errors.js';
import {
  compileFilterPolicy,
  type FilterPolicy,
  type FilterPolicyScope,
  validateFilterPolicy,
} from '../../src/filter-policy/index.js';
import { invalidCases, manyValues } from './invalid-policies.js';

describe('filter policy validation', () => {
  it.each(invalidCases.map((c) => [c.name, c] as const))('rejects: %s', (_name, c) => {
    const check = (): void => validateFilterPolicy(c.policy, c.scope);
    expect(check).toThrow(InvalidParameterError);
    expect(check).toThrow(c.message);
    expect(() => compileFilterPolicy(c.policy as FilterPolicy, c.scope)).toThrow(InvalidParameterError);
  });

  it('reports the InvalidParameter code and the "Invalid filter policy" prefix', () => {
    try {
      validateFilterPolicy({ price: [{ numeric: ['>', 'x'] }] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidParameterError);
      expect((error as InvalidParameterError).code).toBe('InvalidParameter');
      expect((error as Error).message).toBe('Invalid filter policy: key "price": numeric operator ">" needs a number');
    }
  });

  const validPolicies: Array<readonly [string, FilterPolicy, FilterPolicyScope?]> = [
    [
      'every operator',
      {
        a: ['x', 1, true, null],
        b: [{ prefix: 'p' }, { suffix: 's' }, { 'equals-ignore-case': 'e' }, { wildcard: 'a*b*c*' }, { exists: true }],
      },
    ],
    [
      'anything-but forms',
      {
        a: [
          { 'anything-but': 'x' },
          { 'anything-but': 5 },
          { 'anything-but': ['x', 'y'] },
          { 'anything-but': [1, 2] },
          { 'anything-but': { prefix: 'p' } },
          { 'anything-but': { suffix: 's' } },
          { 'anything-but': { wildcard: '*x' } },
        ],
      },
    ],
    [
      'numeric forms',
      {
        a: [
          { numeric: ['=', 1e9] },
          { numeric: ['<', -1e9] },
          { numeric: ['>=', 0.00001, '<', 1] },
          { numeric: ['>', -5, '<=', 5] },
        ],
      },
    ],
    [
      'cidr forms, single-address blocks included',
      { a: [{ cidr: '10.0.0.0/8' }, { cidr: '0.0.0.0/0' }, { cidr: '2001:db8::/32' }, { cidr: '2001:db8::1/128' }] },
    ],
    // Wildcard complexity (SNS guide, "Filter policy constraints"): ten lone-* patterns on one key are
    // (1 × 10) × 10 = 100 points, the limit; three-* patterns count 3 per *.
    ['wildcards at exactly 100 points', { a: manyValues(10, 'x').map((v) => ({ wildcard: `${v}*` })) }],
    ['the empty policy {}', {}],
    ['the empty policy {} in body scope', {}, 'MessageBody'],
    ['five keys and 150 combinations', { a: manyValues(5), b: manyValues(5), c: manyValues(6), d: ['x'], e: ['y'] }],
    // (3 x 6) + (3 x 4 x 4) + (3 x 4 x 7) = 150, accepted by real SNS (LocalStack test_policy_complexity_with_or).
    [
      '$or exactly at 150',
      {
        source: manyValues(3),
        $or: [
          { metricName: manyValues(6) },
          { metricType: manyValues(4), $or: [{ metricId: [1, 2, 3, 4] }, { spaceId: [1, 2, 3, 4, 5, 6, 7] }] },
        ],
      },
    ],
    [
      'constraints page nested example (72)',
      { key_a: { key_b: { key_c: manyValues(4) } }, key_d: { key_e: manyValues(3) } },
      'MessageBody',
    ],
    [
      '$or in a nested body policy',
      { detail: { scope: ['Service'], $or: [{ source: ['a'] }, { type: ['b'] }] } },
      'MessageBody',
    ],
  ];

  for (const [name, policy, scope] of validPolicies) {
    it(`accepts: ${name}`, () => {
      expect(() => validateFilterPolicy(policy, scope)).not.toThrow();
    });
  }
});
