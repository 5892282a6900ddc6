import type { MessageAttributes, MessageAttributeValue } from '../message-attributes.js';
import { parseDecimal } from './numeric.js';
import type { Scalar } from './types.js';

/** What a message holds for one policy key. */
export interface Field {
  readonly present: boolean;
  readonly values: readonly Scalar[];
  /** A `String.Array` attribute: `anything-but` then requires that no element is excluded. */
  readonly attributeArray: boolean;
}

export const ABSENT: Field = { present: false, values: [], attributeArray: false };

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function arrayElements(text: string | undefined): Scalar[] {
  if (text === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter(isScalar) : [];
  } catch {
    return [];
  }
}

/**
 * A Binary attribute (`Binary`, `Binary.label`) is not there for filtering: "Amazon SNS ignores message
 * attributes with the Binary data type" (https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html),
 * for every operator, `exists` included.
 */
export function isIgnoredAttribute(attribute: MessageAttributeValue): boolean {
  const { dataType } = attribute;
  return dataType === 'Binary' || dataType.startsWith('Binary.');
}

/**
 * The values of one attribute: `String` gives its string, `Number` its number (so `"3.015e2"` equals
 * 301.5), `String.Array` its JSON elements, an unknown type nothing (while still counting as present
 * for `exists`), and `Binary` is absent. A `.label` suffix (`Number.int`) does not change the type.
 */
export function attributeField(attribute: MessageAttributeValue): Field {
  const { dataType, stringValue } = attribute;
  if (dataType === 'String.Array') return { present: true, values: arrayElements(stringValue), attributeArray: true };
  if (isIgnoredAttribute(attribute)) return ABSENT;
  const base = dataType.split('.', 1)[0];
  if (base === 'String' && stringValue !== undefined)
    return { present: true, values: [stringValue], attributeArray: false };
  if (base === 'Number' && stringValue !== undefined) {
    const value = parseDecimal(stringValue);
    return { present: true, values: value === undefined ? [] : [value], attributeArray: false };
  }
  return { present: true, values: [], attributeArray: false };
}

export function lookupAttribute(attributes: MessageAttributes, name: string): Field {
  const attribute = Object.hasOwn(attributes, name) ? attributes[name] : undefined;
  return attribute === undefined ? ABSENT : attributeField(attribute);
}

/** Every dotted prefix of the leaf names: the only body paths worth walking. */
export function bodyPrefixes(names: Iterable<string>): Set<string> {
  const prefixes = new Set<string>();
  for (const name of names) {
    const parts = name.split('.');
    for (let i = 1; i <= parts.length; i += 1) prefixes.add(parts.slice(0, i).join('.'));
  }
  return prefixes;
}

function collect(value: unknown, path: string, prefixes: ReadonlySet<string>, out: Map<string, Scalar[]>): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, path, prefixes, out);
  } else if (isScalar(value)) {
    const values = out.get(path);
    if (values === undefined) out.set(path, [value]);
    else values.push(value);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      const childPath = `${path}.${key}`;
      if (prefixes.has(childPath)) collect(child, childPath, prefixes, out);
    }
  }
}

/**
 * Flattens a message body the way SNS does: names are joined with "." whether they came from nesting
 * or were written with dots (`{"a": {"b": 1}}` and `{"a.b": 1}` both give `a.b`, as LocalStack
 * verified against SNS in test_filter_policy_on_message_body_dot_attribute), arrays spread their
 * elements into the same name, and objects are never values themselves (so `exists` sees leaves only).
 * Returns undefined when the body is not a JSON object: such a message never matches.
 */
export function flattenBody(body: string, prefixes: ReadonlySet<string>): Map<string, Scalar[]> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const out = new Map<string, Scalar[]>();
  for (const [key, child] of Object.entries(parsed)) {
    if (prefixes.has(key)) collect(child, key, prefixes, out);
  }
  return out;
}
