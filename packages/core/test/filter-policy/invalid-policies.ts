/** Filter policies SNS refuses, with the error text each must give (validation.test.ts replays them). */
import type { FilterPolicyScope } from '../../src/filter-policy/index.js';

export interface InvalidCase {
  readonly name: string;
  readonly policy: unknown;
  readonly scope?: FilterPolicyScope;
  /** Text the message must contain. */
  readonly message: string | RegExp;
}

export const manyValues = (count: number, prefix = 'v'): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}`);

// Validation failures. SNS rejects each of these on Subscribe/SetSubscriptionAttributes; LocalStack's
// snapshot test_sns_filter_policy.snapshot.json records the real SNS error for most of them.
export const invalidCases: InvalidCase[] = [
  { name: 'policy is an array', policy: [{ a: ['x'] }], message: 'the policy must be a JSON object, got an array' },
  { name: 'policy is a string', policy: '{"a":["x"]}', message: 'the policy must be a JSON object, got string' },
  { name: 'policy is null', policy: null, message: 'the policy must be a JSON object, got null' },
  { name: 'value is a string', policy: { key_a: 'value_one' }, message: 'key "key_a": must be an object or an array' },
  { name: 'value is undefined', policy: { key_a: undefined }, message: 'key "key_a": must be an object or an array' },
  {
    name: 'operator object instead of array',
    policy: { key: { suffix: 'value' } },
    message: 'nested objects are only allowed with filter policy scope MessageBody',
  },
  {
    name: 'nested object in attribute scope',
    policy: { object: { key: [{ prefix: 'auto-' }] } },
    message: 'key "object": nested objects are only allowed with filter policy scope MessageBody',
  },
  { name: 'empty array', policy: { key: [] }, message: 'key "key": empty arrays are not allowed' },
  {
    name: 'empty nested object',
    policy: { detail: {} },
    scope: 'MessageBody',
    message: 'key "detail": empty objects are not allowed',
  },
  {
    name: 'array inside array',
    policy: { key: [['value']] },
    message: 'key "key": match value must be a string, number, true, false, null or an operator object, got an array',
  },
  { name: 'NaN match value', policy: { key: [Number.NaN] }, message: 'key "key": match value must be a finite number' },
  {
    name: 'unknown operator',
    policy: { key: [{ 'wrong-operator': true }] },
    message: 'key "key": unknown operator "wrong-operator"',
  },
  {
    name: 'two operators in one object',
    policy: { key: [{ suffix: 'value', prefix: 'value2' }] },
    message: 'exactly one operator, got "suffix", "prefix"',
  },
  { name: 'empty operator object', policy: { key: [{}] }, message: 'key "key": operator object is empty' },
  {
    name: 'prefix with a number',
    policy: { key: [{ prefix: 100 }] },
    message: 'key "key": prefix needs a string, got number 100',
  },
  {
    name: 'suffix with null',
    policy: { key: [{ suffix: null }] },
    message: 'key "key": suffix needs a string, got null',
  },
  {
    name: 'suffix with a list',
    policy: { key: [{ suffix: ['test', 'test2'] }] },
    message: 'key "key": suffix needs a string, got an array',
  },
  {
    name: 'equals-ignore-case with a number',
    policy: { key: [{ 'equals-ignore-case': 5 }] },
    message: 'equals-ignore-case needs a string',
  },
  {
    name: 'wildcard with four *',
    policy: { key: [{ wildcard: '*a*b*c*' }] },
    message: 'has 4 "*"; at most 3 are allowed',
  },
  { name: 'wildcard with **', policy: { key: [{ wildcard: 'a**b' }] }, message: 'consecutive "*"' },
  { name: 'wildcard with a bad escape', policy: { key: [{ wildcard: 'a\\b*' }] }, message: 'invalid escape' },
  { name: 'wildcard with a number', policy: { key: [{ wildcard: 3 }] }, message: 'wildcard needs a string' },
  {
    name: 'anything-but empty list',
    policy: { key: [{ 'anything-but': [] }] },
    message: 'anything-but list must not be empty',
  },
  {
    name: 'anything-but mixed list',
    policy: { key: [{ 'anything-but': ['a', 1] }] },
    message: 'only strings or only numbers',
  },
  {
    name: 'anything-but boolean',
    policy: { key: [{ 'anything-but': true }] },
    message: 'anything-but needs a string, a number, a list',
  },
  {
    name: 'anything-but null',
    policy: { key: [{ 'anything-but': null }] },
    message: 'anything-but needs a string, a number, a list',
  },
  {
    name: 'anything-but unsupported form',
    policy: { key: [{ 'anything-but': { exists: false } }] },
    message: 'anything-but does not support "exists"',
  },
  {
    name: 'anything-but unknown form',
    policy: { key: [{ 'anything-but': { 'wrong-operator': null } }] },
    message: 'anything-but does not support "wrong-operator"',
  },
  {
    name: 'anything-but prefix not a string',
    policy: { key: [{ 'anything-but': { prefix: false } }] },
    message: 'anything-but prefix needs a string, got boolean false',
  },
  {
    name: 'anything-but empty prefix',
    policy: { key: [{ 'anything-but': { prefix: '' } }] },
    message: 'anything-but prefix must not be empty',
  },
  {
    name: 'anything-but with two forms',
    policy: { key: [{ 'anything-but': { prefix: 'a', suffix: 'b' } }] },
    message: 'exactly one of prefix, suffix, wildcard',
  },
  {
    name: 'anything-but wildcard with four *',
    policy: { key: [{ 'anything-but': { wildcard: '*a*b*c*' } }] },
    message: 'at most 3 are allowed',
  },
  { name: 'numeric not an array', policy: { key: [{ numeric: 5 }] }, message: 'numeric needs an array' },
  { name: 'numeric empty', policy: { key: [{ numeric: [] }] }, message: 'numeric needs an operator and a number' },
  {
    name: 'numeric unknown operator',
    policy: { key: [{ numeric: ['operator'] }] },
    message: 'numeric operator "operator" is not one of',
  },
  {
    name: 'numeric starts with a number',
    policy: { key: [{ numeric: [1, '<='] }] },
    message: 'numeric must start with an operator, got 1',
  },
  {
    name: 'numeric = with a string',
    policy: { key: [{ numeric: ['=', '000'] }] },
    message: 'key "key": numeric operator "=" needs a number',
  },
  {
    name: 'numeric >= without a value',
    policy: { key: [{ numeric: ['>='] }] },
    message: 'numeric operator ">=" needs a number',
  },
  {
    name: 'price > with a string',
    policy: { price: [{ numeric: ['>', '20', '<', '30'] }] },
    message: 'Invalid filter policy: key "price": numeric operator ">" needs a number',
  },
  {
    name: 'numeric range upper not a number',
    policy: { key: [{ numeric: ['>', 20, '<', '30'] }] },
    message: 'numeric operator "<" needs a number',
  },
  {
    name: 'numeric range starting with <',
    policy: { key: [{ numeric: ['<', 100, '>', 10] }] },
    message: 'only ">" or ">=" can start a range',
  },
  {
    name: 'numeric range with two lower bounds',
    policy: { key: [{ numeric: ['>=', 1, '>', 2] }] },
    message: 'needs "<" or "<=" after the lower bound, got ">"',
  },
  {
    name: 'numeric range without operator',
    policy: { key: [{ numeric: ['>', 20, 30] }] },
    message: 'needs "<" or "<=" after the lower bound, got 30',
  },
  {
    name: 'numeric range missing upper value',
    policy: { key: [{ numeric: ['>', 20, '<='] }] },
    message: 'numeric operator "<=" needs a number',
  },
  {
    name: 'numeric range bottom above top',
    policy: { key: [{ numeric: ['>', 3, '<', 1] }] },
    message: 'lower bound 3 must be less than upper bound 1',
  },
  {
    name: 'numeric range with equal bounds',
    policy: { key: [{ numeric: ['>=', 3, '<=', 3] }] },
    message: 'lower bound 3 must be less than upper bound 3',
  },
  {
    name: 'numeric range too long',
    policy: { key: [{ numeric: ['>', 20, '<', 30, '<', 50] }] },
    message: 'numeric range has too many elements',
  },
  {
    name: 'numeric above 1e9',
    policy: { key: [{ numeric: ['>', 1_000_000_001] }] },
    message: 'outside the range -1e9 to 1e9',
  },
  {
    name: 'numeric below -1e9',
    policy: { key: [{ numeric: ['<', -1e10] }] },
    message: 'outside the range -1e9 to 1e9',
  },
  {
    name: 'numeric with six decimals',
    policy: { key: [{ numeric: ['=', 0.000001] }] },
    message: 'more than 5 digits after the decimal point',
  },
  {
    name: 'numeric with Infinity',
    policy: { key: [{ numeric: ['<', Number.POSITIVE_INFINITY] }] },
    message: 'needs a finite number',
  },
  {
    name: 'exists with null',
    policy: { key: [{ exists: null }] },
    message: 'key "key": exists needs true or false, got null',
  },
  {
    name: 'exists with a string',
    policy: { key: [{ exists: 'no' }] },
    message: 'exists needs true or false, got string "no"',
  },
  { name: 'cidr with a list', policy: { key: [{ cidr: ['bad-filter'] }] }, message: 'cidr needs a string' },
  { name: 'cidr without /', policy: { key: [{ cidr: 'bad-filter' }] }, message: 'exactly one "/" is required' },
  {
    name: 'cidr with a bad address',
    policy: { key: [{ cidr: 'bad-filter/64' }] },
    message: 'nonstandard IP address "bad-filter"',
  },
  {
    name: 'cidr with a bad mask',
    policy: { key: [{ cidr: 'bad-/64filter' }] },
    message: 'mask bits must be an integer',
  },
  {
    name: 'cidr IPv4 letters',
    policy: { key: [{ cidr: 'xx.11.xx/8' }] },
    message: 'nonstandard IP address "xx.11.xx"',
  },
  { name: 'cidr IPv4 octet over 255', policy: { key: [{ cidr: '10.0.0.256/24' }] }, message: 'nonstandard IP address' },
  {
    name: 'cidr IPv6 bad group',
    policy: { key: [{ cidr: 'xxxx:db8:1234:1a00::/64' }] },
    message: 'nonstandard IP address "xxxx:db8:1234:1a00::"',
  },
  {
    name: 'cidr IPv4 mask too large',
    policy: { key: [{ cidr: '10.0.0.0/33' }] },
    message: 'IPv4 mask bits must be at most 32',
  },
  {
    name: 'cidr IPv6 mask too large',
    policy: { key: [{ cidr: '2001:db8::/129' }] },
    message: 'IPv6 mask bits must be at most 128',
  },
  {
    name: 'wildcards over 100 complexity points',
    // (9 + 9 + 9 + 9) × 4 patterns = 144 points.
    policy: { key: ['a*b*c*', 'd*e*f*', 'g*h*i*', 'j*k*l*'].map((wildcard) => ({ wildcard })) },
    message: "the policy's wildcards are too complex: 144 points",
  },
  {
    name: 'six keys',
    policy: { key_a: ['1'], key_b: ['2'], key_c: ['3'], key_d: ['4'], key_e: ['5'], key_f: ['6'] },
    message: 'the policy has 6 keys (key_a, key_b, key_c, key_d, key_e, key_f); at most 5 are allowed',
  },
  {
    name: 'six leaf keys in a nested body policy',
    policy: { a: { b: ['1'], c: ['2'], d: ['3'] }, e: { f: ['4'], g: ['5'], h: ['6'] } },
    scope: 'MessageBody',
    message: 'the policy has 6 keys',
  },
  { name: '151 values in one key', policy: { key: manyValues(151) }, message: 'too complex: 151 combinations' },
  {
    name: '100 x 51 values',
    policy: { key1: manyValues(100), key2: manyValues(51) },
    message: 'too complex: 5100 combinations',
  },
  {
    // Constraints page example plus a third key: 3 x 4 x 2 x 3 x 1 x 3 = 216.
    name: 'nested body policy multiplies by depth',
    policy: {
      key_a: { key_b: { key_c: manyValues(4) } },
      key_d: { key_e: manyValues(3) },
      key_f: manyValues(3),
    },
    scope: 'MessageBody',
    message: 'too complex: 216 combinations',
  },
  {
    // (4 x 6) + (4 x 4 x 4) + (4 x 4 x 4) = 152
    name: '$or branches add up past 150',
    policy: {
      source: manyValues(4),
      $or: [
        { metricName: manyValues(6) },
        { metricType: manyValues(4), $or: [{ metricId: [1, 2, 3, 4] }, { spaceId: [1, 2, 3, 4] }] },
      ],
    },
    message: 'too complex: 152 combinations',
  },
  {
    // (3 x 4 x 2) + (3 x 4 x 6) + (2 x 4 x 2) + (2 x 4 x 6) = 160
    name: 'nested $or in a body policy past 150',
    policy: {
      $or: [{ metricName: manyValues(3) }, { namespace: manyValues(2) }],
      detail: { scope: manyValues(2), $or: [{ source: ['aws.cloudwatch'] }, { type: manyValues(3) }] },
    },
    scope: 'MessageBody',
    message: 'too complex: 160 combinations',
  },
  {
    // AND/OR logic page: "numeric and prefix are reserved keywords", so this "$or" is an ordinary key
    // whose first operator object is malformed.
    name: '$or with reserved names is an ordinary key',
    policy: { $or: [{ numeric: 123 }, { prefix: 'abc' }] },
    message: 'key "$or": numeric needs an array',
  },
  {
    name: '$or with one object is an ordinary key',
    policy: { $or: [{ a: ['x'] }] },
    message: 'key "$or": unknown operator "a"',
  },
  {
    name: 'nested object inside $or in attribute scope',
    policy: { $or: [{ a: { b: ['x'] } }, { c: ['y'] }] },
    message: 'key "a": nested objects are only allowed',
  },
  {
    name: 'empty $or branch',
    policy: { $or: [{}, { a: ['x'] }] },
    message: 'key "$or": $or branches must not be empty objects',
  },
  {
    name: 'policy over 256 KB',
    policy: { key: ['x'.repeat(300 * 1024)] },
    message: 'at most 262144 (256 KB) are allowed',
  },
  {
    name: 'unknown scope',
    policy: { key: ['x'] },
    scope: 'Body' as FilterPolicyScope,
    message: 'Invalid filter policy scope "Body"',
  },
];
