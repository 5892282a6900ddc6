import type { MessageAttributes } from '../message-attributes.js';
import { cidrContains, parseCidr, parseIp, sameIp } from './cidr.js';
import { leafKeys } from './limits.js';
import { inNumericRange } from './numeric.js';
import type {
  AndNode,
  Condition,
  Exclusion,
  FilterPolicyScope,
  FilterPredicate,
  LeafNode,
  OrNode,
  Scalar,
} from './types.js';
import { ABSENT, bodyPrefixes, type Field, flattenBody, isIgnoredAttribute, lookupAttribute } from './values.js';
import { parseWildcard, wildcardMatcher } from './wildcard.js';

/** Per-evaluation access to the message, shared by every compiled node. */
interface Message {
  field(name: string): Field;
  /** Number of attributes on the message (attribute scope only). */
  readonly attributeCount: number;
}

type FieldTest = (field: Field, message: Message) => boolean;
type ValueTest = (value: Scalar) => boolean;
type NodeTest = (message: Message) => boolean;

function isString(value: Scalar): value is string {
  return typeof value === 'string';
}

function isNumber(value: Scalar): value is number {
  return typeof value === 'number';
}

function wildcardTest(pattern: string): (value: string) => boolean {
  const parsed = parseWildcard(pattern);
  if (!parsed.ok) throw new Error(`unvalidated wildcard ${pattern}`);
  return wildcardMatcher(parsed.segments);
}

function exactString(expected: string): ValueTest {
  const ip = parseIp(expected);
  if (ip === undefined) return (value) => value === expected;
  // SNS compares IP-shaped strings as addresses, so "2001:db8::1" equals "2001:0db8:0:0:0:0:0:1".
  return (value) => value === expected || (isString(value) && sameIp(ip, parseIp(value) ?? new Uint8Array(0)));
}

function valueTest(condition: Exclude<Condition, { kind: 'anything-but' | 'exists' }>): ValueTest {
  switch (condition.kind) {
    case 'string':
      return exactString(condition.value);
    case 'number':
    case 'literal': {
      const expected = condition.value;
      return (value) => value === expected;
    }
    case 'prefix': {
      const prefix = condition.value;
      return (value) => isString(value) && value.startsWith(prefix);
    }
    case 'suffix': {
      const suffix = condition.value;
      return (value) => isString(value) && value.endsWith(suffix);
    }
    case 'equals-ignore-case': {
      const lower = condition.value.toLowerCase();
      return (value) => isString(value) && value.toLowerCase() === lower;
    }
    case 'wildcard': {
      const matches = wildcardTest(condition.value);
      return (value) => isString(value) && matches(value);
    }
    case 'numeric':
      return (value) => isNumber(value) && inNumericRange(value, condition);
    case 'cidr': {
      const parsed = parseCidr(condition.value);
      if (!parsed.ok) throw new Error(`unvalidated cidr ${condition.value}`);
      const { block } = parsed;
      return (value) => {
        const address = isString(value) ? parseIp(value) : undefined;
        return address !== undefined && cidrContains(block, address);
      };
    }
  }
}

/** A value `anything-but` with a list of strings can be "anything but": every value but null. */
function isValue(value: Scalar): boolean {
  return value !== null;
}

/**
 * [applies to this value, and is excluded by it]. A list of strings excludes only those strings and
 * so lets a number through ("it matches any message attribute or message body values that don't
 * include any of the policy property values", https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html):
 * a Number attribute is never one of the listed strings. The prefix, suffix and wildcard forms are
 * string operators and apply to strings only.
 */
function exclusionTests(exclusion: Exclusion): [ValueTest, ValueTest] {
  switch (exclusion.type) {
    case 'strings': {
      const set = new Set(exclusion.values);
      return [isValue, (value) => isString(value) && set.has(value)];
    }
    case 'numbers': {
      const list = exclusion.values;
      return [isNumber, (value) => isNumber(value) && list.includes(value)];
    }
    case 'prefix': {
      const prefix = exclusion.value;
      return [isString, (value) => isString(value) && value.startsWith(prefix)];
    }
    case 'suffix': {
      const suffix = exclusion.value;
      return [isString, (value) => isString(value) && value.endsWith(suffix)];
    }
    case 'wildcard': {
      const matches = wildcardTest(exclusion.value);
      return [isString, (value) => isString(value) && matches(value)];
    }
  }
}

/**
 * `anything-but` never matches a missing key. On a `String.Array` attribute it matches only if none
 * of the elements is excluded: the current SNS guide, "String value matching" > "Anything-but
 * matching": "For String.Array type attributes, it matches if none of the array elements are listed
 * in the policy property" (https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html).
 * The 2022 text of that page said the opposite ("[rugby, baseball]" matched because it "contains a
 * value that isn't rugby or tennis"). Arrays in a message body keep that any-element rule, which is
 * how the guide describes body arrays and how every other operator treats them.
 */
function anythingButTest(exclusion: Exclusion): FieldTest {
  const [applies, excluded] = exclusionTests(exclusion);
  const allowed: ValueTest = (value) => applies(value) && !excluded(value);
  return (field) => {
    if (!field.attributeArray) return field.values.some(allowed);
    return field.values.some(allowed) && !field.values.some(excluded);
  };
}

/**
 * `exists` only looks at leaves. In the body a key exists when it holds a value that is neither null
 * nor "" (Key matching page: "The key must have a non-null and non-empty value"). An attribute
 * exists when it is sent, whatever its type but Binary (ignored, see values.ts). `"exists": false`
 * never matches a message without any attributes (Key matching page: "An empty set of attributes
 * results in the filter not matching").
 */
function existsTest(expected: boolean, scope: FilterPolicyScope): FieldTest {
  if (scope === 'MessageAttributes') {
    return expected ? (field) => field.present : (field, message) => !field.present && message.attributeCount > 0;
  }
  const exists = (field: Field): boolean => field.values.some((value) => value !== null && value !== '');
  return expected ? exists : (field) => !exists(field);
}

function conditionTest(condition: Condition, scope: FilterPolicyScope): FieldTest {
  if (condition.kind === 'exists') return existsTest(condition.value, scope);
  if (condition.kind === 'anything-but') return anythingButTest(condition.exclusion);
  const test = valueTest(condition);
  return (field) => field.values.some(test);
}

function leafTest(leaf: LeafNode, scope: FilterPolicyScope): NodeTest {
  const tests = leaf.conditions.map((condition) => conditionTest(condition, scope));
  const { name } = leaf;
  return (message) => {
    const field = message.field(name);
    return tests.some((test) => test(field, message));
  };
}

function nodeTest(node: AndNode | OrNode, scope: FilterPolicyScope): NodeTest {
  if (node.kind === 'or') {
    const branches = node.branches.map((branch) => nodeTest(branch, scope));
    return (message) => branches.some((branch) => branch(message));
  }
  const children = node.children.map((child) =>
    child.kind === 'leaf' ? leafTest(child, scope) : nodeTest(child, scope),
  );
  return (message) => children.every((child) => child(message));
}

/** Attributes filtering sees: Binary ones are ignored, also when counting for `exists: false`. */
function countAttributes(attributes: MessageAttributes): number {
  let count = 0;
  for (const name in attributes) {
    const attribute = attributes[name];
    if (attribute !== undefined && !isIgnoredAttribute(attribute)) count++;
  }
  return count;
}

function attributeMessage(attributes: MessageAttributes): Message {
  let cache: Map<string, Field> | undefined;
  return {
    attributeCount: countAttributes(attributes),
    field(name) {
      cache ??= new Map();
      let field = cache.get(name);
      if (field === undefined) {
        field = lookupAttribute(attributes, name);
        cache.set(name, field);
      }
      return field;
    },
  };
}

/** Turns a validated policy tree into a closure; evaluation never looks at the policy again. */
export function compilePolicyTree(root: AndNode, scope: FilterPolicyScope): FilterPredicate {
  // The empty policy {} filters nothing, in either scope (see parseFilterPolicy).
  if (root.children.length === 0) return () => true;
  const test = nodeTest(root, scope);
  if (scope === 'MessageAttributes') return (input) => test(attributeMessage(input.attributes));

  const prefixes = bodyPrefixes(leafKeys(root));
  return (input) => {
    const fields = flattenBody(input.body, prefixes);
    if (fields === undefined) return false;
    return test({
      attributeCount: 0,
      field: (name) => {
        const values = fields.get(name);
        return values === undefined ? ABSENT : { present: true, values, attributeArray: false };
      },
    });
  };
}
