/**
 * Behaviour the SNS guide leaves open or that only matters to this implementation. These cases are
 * deliberately not in filter-cases.ts (which must hold only outcomes known from SNS itself); each
 * documents the choice made and why.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileFilterPolicy, type FilterPolicy, matchesFilterPolicy } from '../../src/filter-policy/index.js';
import type { MessageAttributes } from '../../src/message-attributes.js';

const str = (stringValue: string) => ({ dataType: 'String', stringValue });
const num = (stringValue: string) => ({ dataType: 'Number', stringValue });
const bin = () => ({ dataType: 'Binary', binaryValue: new Uint8Array([1, 2]) });
const strArray = (values: readonly unknown[]) => ({ dataType: 'String.Array', stringValue: JSON.stringify(values) });

const attrs = (policy: FilterPolicy, attributes: MessageAttributes): boolean =>
  matchesFilterPolicy(policy, { attributes, body: 'message' });
const body = (policy: FilterPolicy, value: unknown): boolean =>
  matchesFilterPolicy(
    policy,
    { attributes: {}, body: typeof value === 'string' ? value : JSON.stringify(value) },
    'MessageBody',
  );

describe('attribute types', () => {
  // "Amazon SNS ignores message attributes with the Binary data type"
  // (https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html): for every operator.
  it('ignores Binary attributes for every operator, exists included', () => {
    const other = str('x');
    expect(attrs({ a: [{ exists: true }] }, { a: bin(), other })).toBe(false);
    expect(attrs({ a: [{ exists: false }] }, { a: bin(), other })).toBe(true);
    expect(attrs({ a: [{ prefix: '' }] }, { a: bin(), other })).toBe(false);
    expect(attrs({ a: [{ 'anything-but': 'x' }] }, { a: bin(), other })).toBe(false);
    expect(attrs({ a: [{ exists: true }] }, { a: { dataType: 'Binary.png', binaryValue: new Uint8Array([1]) } })).toBe(
      false,
    );
    // Ignored means not there: a message whose only attribute is Binary has an empty attribute set.
    expect(attrs({ b: [{ exists: false }] }, { a: bin() })).toBe(false);
  });

  it('keeps the base type of labelled data types', () => {
    expect(attrs({ a: [{ numeric: ['>', 4] }] }, { a: { dataType: 'Number.int', stringValue: '5' } })).toBe(true);
    expect(attrs({ a: [{ prefix: 'ab' }] }, { a: { dataType: 'String.custom', stringValue: 'abc' } })).toBe(true);
  });

  it('matches policy numbers to Number attributes numerically, never to strings', () => {
    expect(attrs({ price: [301.5] }, { price: num('3.015e2') })).toBe(true);
    expect(attrs({ price: [100] }, { price: num('1e2') })).toBe(true);
    expect(attrs({ price: [301.5] }, { price: str('301.5') })).toBe(false);
    expect(attrs({ price: ['301.5'] }, { price: num('301.5') })).toBe(false);
  });

  it('treats a Number attribute that is not a decimal as present without a value', () => {
    expect(attrs({ a: [{ numeric: ['>', 0] }] }, { a: num('0x10') })).toBe(false);
    expect(attrs({ a: [{ exists: true }] }, { a: num('abc') })).toBe(true);
  });

  it('matches String.Array elements of every JSON type', () => {
    expect(attrs({ a: [{ numeric: ['>', 4] }] }, { a: strArray([1, 5]) })).toBe(true);
    expect(attrs({ a: [true] }, { a: strArray([false, true]) })).toBe(true);
    expect(attrs({ a: [null] }, { a: strArray(['x', null]) })).toBe(true);
    expect(attrs({ a: ['x'] }, { a: { dataType: 'String.Array', stringValue: 'not json' } })).toBe(false);
  });

  it('applies anything-but to a String.Array only when no element is excluded (current SNS guide)', () => {
    const policy = { a: [{ 'anything-but': { prefix: 'order-' } }] };
    expect(attrs(policy, { a: strArray(['data', 'entry']) })).toBe(true);
    expect(attrs(policy, { a: strArray(['data', 'order-1']) })).toBe(false);
    expect(attrs(policy, { a: strArray([]) })).toBe(false);
  });

  // anything-but "matches any message attribute or message body values that don't include any of the
  // policy property values" (https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html).
  it('lets a Number through anything-but with strings; a number list stays with numbers', () => {
    expect(attrs({ a: [{ 'anything-but': ['x'] }] }, { a: num('5') })).toBe(true);
    expect(attrs({ a: [{ 'anything-but': ['5'] }] }, { a: num('5') })).toBe(true);
    expect(attrs({ a: [{ 'anything-but': ['5'] }] }, { a: str('5') })).toBe(false);
    expect(attrs({ a: [{ 'anything-but': { prefix: '5' } }] }, { a: num('5') })).toBe(false);
    expect(attrs({ a: [{ 'anything-but': [1] }] }, { a: str('5') })).toBe(false);
    expect(body({ a: [{ 'anything-but': ['x'] }] }, { a: 5 })).toBe(true);
    expect(body({ a: [{ 'anything-but': ['x'] }] }, { a: null })).toBe(false);
  });

  // "remove the subscription's filter policy by overwriting it with an empty JSON body. After you remove
  // the policy, the subscription accepts every message" (https://docs.aws.amazon.com/sns/latest/dg/message-filtering-policy-remove.html).
  it('treats the empty policy {} as no filter: every message matches, in either scope', () => {
    expect(attrs({}, {})).toBe(true);
    expect(attrs({}, { a: str('x') })).toBe(true);
    expect(body({}, 'not json')).toBe(true);
  });

  // IP address matching (https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html): a full-length
  // block holds exactly one address.
  it('matches /128 and /32 blocks to their one address', () => {
    expect(attrs({ ip: [{ cidr: '2001:db8::1/128' }] }, { ip: str('2001:0db8::0:1') })).toBe(true);
    expect(attrs({ ip: [{ cidr: '2001:db8::1/128' }] }, { ip: str('2001:db8::2') })).toBe(false);
    expect(attrs({ ip: [{ cidr: '10.0.0.1/32' }] }, { ip: str('10.0.0.1') })).toBe(true);
    expect(attrs({ ip: [{ cidr: '10.0.0.1/32' }] }, { ip: str('10.0.0.2') })).toBe(false);
  });

  it('looks attribute names up literally (dots, prototype names)', () => {
    expect(attrs({ 'a.b': ['x'] }, { 'a.b': str('x') })).toBe(true);
    expect(attrs({ constructor: [{ exists: false }] }, { a: str('x') })).toBe(true);
    expect(attrs({ toString: [{ exists: true }] }, { a: str('x') })).toBe(false);
  });

  it('never matches a message without attributes', () => {
    expect(attrs({ a: [{ exists: false }], b: [{ exists: false }] }, {})).toBe(false);
    expect(attrs({ a: [null] }, {})).toBe(false);
  });
});

describe('message body', () => {
  it('matches JSON literals by type', () => {
    expect(body({ flag: [true] }, { flag: true })).toBe(true);
    expect(body({ flag: ['true'] }, { flag: true })).toBe(false);
    expect(body({ flag: [true] }, { flag: 'true' })).toBe(false);
    expect(body({ a: [null] }, { a: null })).toBe(true);
    expect(body({ a: [null] }, {})).toBe(false);
    expect(body({ n: [5] }, { n: '5' })).toBe(false);
  });

  it('needs a non-null, non-empty leaf for exists (Key matching page)', () => {
    expect(body({ a: [{ exists: true }] }, { a: 0 })).toBe(true);
    expect(body({ a: [{ exists: true }] }, { a: false })).toBe(true);
    expect(body({ a: [{ exists: true }] }, { a: null })).toBe(false);
    expect(body({ a: [{ exists: true }] }, { a: '' })).toBe(false);
    expect(body({ a: [{ exists: false }] }, { a: null })).toBe(true);
    // Objects are not leaves and empty arrays hold no value.
    expect(body({ a: [{ exists: true }] }, { a: { b: 1 } })).toBe(false);
    expect(body({ a: [{ exists: false }] }, { a: { b: 1 } })).toBe(true);
    expect(body({ a: [{ exists: false }] }, { a: [] })).toBe(true);
    expect(body({ a: [{ exists: false }] }, {})).toBe(true);
  });

  it('lets anything-but match a body array with any allowed element (2022 SNS guide example)', () => {
    const policy = { customer_interests: [{ 'anything-but': ['rugby', 'tennis'] }] };
    expect(body(policy, { customer_interests: ['rugby', 'baseball'] })).toBe(true);
    expect(body(policy, { customer_interests: ['rugby', 'tennis'] })).toBe(false);
    expect(body({ price: [{ 'anything-but': [100, 500] }] }, { price: [100, 50] })).toBe(true);
  });

  it('matches each key of an array of objects independently', () => {
    // Array-consistent matching (same element for every key) is not documented for SNS.
    const policy = { employees: { first: ['Anna'], last: ['Jones'] } };
    const message = {
      employees: [
        { first: 'Anna', last: 'Doe' },
        { first: 'John', last: 'Jones' },
      ],
    };
    expect(body(policy, message)).toBe(true);
  });

  it('never matches a body that is not a JSON object', () => {
    const policy = { a: [{ exists: false }] };
    expect(body(policy, '[{"b": 1}]')).toBe(false);
    expect(body(policy, 'null')).toBe(false);
    expect(body(policy, '42')).toBe(false);
    expect(body(policy, '{"a": ')).toBe(false);
  });

  it('treats an $or that is not an OR as an ordinary key', () => {
    const policy = { $or: [{ prefix: 'abc' }, { suffix: 'xyz' }] };
    expect(body(policy, { $or: 'abcdef' })).toBe(true);
    expect(body(policy, { $or: 'nothing' })).toBe(false);
  });

  it('combines $or inside nested objects with the path of the object', () => {
    const policy = { detail: { scope: ['Service'], $or: [{ source: ['a'] }, { nested: { type: ['b'] } }] } };
    expect(body(policy, { detail: { scope: 'Service', nested: { type: 'b' } } })).toBe(true);
    expect(body(policy, { detail: { scope: 'Service', type: 'b' } })).toBe(false);
  });
});

describe('string operators', () => {
  it('compares IP-shaped exact strings as addresses', () => {
    expect(attrs({ ip: ['2001:db8::1'] }, { ip: str('2001:0DB8:0:0:0:0:0:1') })).toBe(true);
    expect(attrs({ ip: ['10.0.0.1'] }, { ip: str('10.0.0.2') })).toBe(false);
  });

  it('treats IPv4-mapped IPv6 addresses as IPv4 in cidr', () => {
    expect(attrs({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: str('::ffff:10.0.0.5') })).toBe(true);
    expect(attrs({ ip: [{ cidr: '0.0.0.0/0' }] }, { ip: str('2001:db8::1') })).toBe(false);
  });

  it('supports escapes and edge patterns in wildcard', () => {
    expect(attrs({ a: [{ wildcard: 'a\\*b' }] }, { a: str('a*b') })).toBe(true);
    expect(attrs({ a: [{ wildcard: 'a\\*b' }] }, { a: str('axb') })).toBe(false);
    expect(attrs({ a: [{ wildcard: '*' }] }, { a: str('') })).toBe(true);
    expect(attrs({ a: [{ wildcard: 'ab*ba' }] }, { a: str('aba') })).toBe(false);
    expect(attrs({ a: [{ wildcard: 'a*a*a' }] }, { a: str('aaa') })).toBe(true);
    expect(attrs({ a: [{ wildcard: 'a*a*a' }] }, { a: str('aa') })).toBe(false);
  });

  it('only applies string operators to strings', () => {
    expect(attrs({ a: [{ prefix: '1' }] }, { a: num('12') })).toBe(false);
    expect(body({ a: [{ 'equals-ignore-case': 'TRUE' }] }, { a: true })).toBe(false);
  });
});

describe('compiled predicates', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('does not read the policy object again after compiling', () => {
    const policy: Record<string, unknown> = { a: ['x'] };
    const predicate = compileFilterPolicy(policy);
    policy.a = ['y'];
    policy.b = [{ exists: true }];
    expect(predicate({ attributes: { a: str('x') }, body: '' })).toBe(true);
  });

  it('parses the body once per evaluation', () => {
    const predicate = compileFilterPolicy({ a: ['x'], $or: [{ b: ['y'] }, { c: { d: ['z'] } }] }, 'MessageBody');
    const parse = vi.spyOn(JSON, 'parse');
    expect(predicate({ attributes: {}, body: '{"a": "x", "c": {"d": "z"}}' })).toBe(true);
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('parses a String.Array attribute once per evaluation', () => {
    const predicate = compileFilterPolicy({ $or: [{ a: ['x'], b: ['1'] }, { a: ['y'] }] });
    const parse = vi.spyOn(JSON, 'parse');
    expect(predicate({ attributes: { a: strArray(['y']) }, body: '' })).toBe(true);
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('gives the same answers through matchesFilterPolicy with the default scope', () => {
    const policy = { a: [{ prefix: 'x' }] };
    const input = { attributes: { a: str('xy') }, body: '{"a": "no"}' };
    expect(matchesFilterPolicy(policy, input)).toBe(compileFilterPolicy(policy, 'MessageAttributes')(input));
    expect(matchesFilterPolicy(policy, input, 'MessageBody')).toBe(false);
  });
});
