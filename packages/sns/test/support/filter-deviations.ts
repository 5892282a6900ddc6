/**
 * Where fauxqs 1.9.2's SNS filter (`dist/sns/filter.js`) departs from what Amazon SNS documents.
 * The differential accepts a disagreement between the core evaluator and fauxqs only when the pair
 * exercises one of these departures; each names the AWS source that settles the expected outcome
 * (which is the core evaluator's). Detection is structural (which policy leaves meet which values),
 * so an unexplained disagreement fails the test.
 */
import type { FilterPair } from './filter-generator.js';

export type DeviationId =
  | 'string-array-attribute'
  | 'empty-attribute-set'
  | 'type-blind-comparison'
  | 'anything-but-other-type'
  | 'binary-attribute'
  | 'body-array'
  | 'body-empty-value-exists'
  | 'nested-or';

export interface Deviation {
  readonly id: DeviationId;
  readonly fauxqs: string;
  readonly aws: string;
  readonly source: string;
  /** The AWS outcome is msgport's reading, not settled by an AWS example: verify against real SNS. */
  readonly unverified?: true;
}

export const DEVIATIONS: Readonly<Record<DeviationId, Deviation>> = {
  'string-array-attribute': {
    id: 'string-array-attribute',
    fauxqs: 'compares a String.Array attribute as its JSON text, so no element ever matches',
    aws: 'a String.Array attribute matches when an element matches (anything-but: when no element is excluded)',
    source: 'https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html (exact and anything-but matching)',
  },
  'empty-attribute-set': {
    id: 'empty-attribute-set',
    fauxqs: '"exists": false (and null) match a message without any attributes',
    aws: '"exists": false only matches if at least one attribute is present; an empty set of attributes does not match',
    source: 'https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html (note under "exists": false)',
  },
  'type-blind-comparison': {
    id: 'type-blind-comparison',
    fauxqs:
      'compares values by their text: a String "5" meets numeric conditions and a Number (or body number/boolean) meets string conditions',
    aws: 'string operators match string values, numeric operators match numeric values (Number attributes, JSON numbers); quoted numbers are strings',
    source:
      'https://docs.aws.amazon.com/sns/latest/dg/numeric-value-matching.html ("Numeric values aren\'t enclosed in double quotation marks"; "Prefixes are supported for string matching only") and https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html',
  },
  'anything-but-other-type': {
    id: 'anything-but-other-type',
    fauxqs:
      'applies anything-but to any value by its text: a Number attribute passes a string list, a String (or body string) passes a number list',
    aws: 'msgport reads anything-but as applying to values of the listed type only (a missing key never matches, and a value of the other type is not "anything but" a listed value)',
    source:
      'not settled: https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html and numeric-value-matching.html show anything-but only with values of the listed type',
    unverified: true,
  },
  'binary-attribute': {
    id: 'binary-attribute',
    fauxqs: 'reads a Binary attribute as an empty string, so anything-but conditions match it',
    aws: 'Amazon SNS ignores message attributes with the Binary data type',
    source: 'https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html',
  },
  'body-array': {
    id: 'body-array',
    fauxqs: 'drops arrays when flattening the body, so values inside arrays (or under arrays of objects) never match',
    aws: 'array elements of the body are matched one by one (any element)',
    source:
      'https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html and numeric-value-matching.html (body examples with arrays); LocalStack aws-validated cases in core filter-cases.ts',
  },
  'body-empty-value-exists': {
    id: 'body-empty-value-exists',
    fauxqs: 'treats a body property holding "" as existing',
    aws: '"exists": true needs a non-null and non-empty value',
    source: 'https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html',
  },
  'nested-or': {
    id: 'nested-or',
    fauxqs: 'loses the parent path of an "$or" nested inside an object of a body policy',
    aws: '"$or" may appear at any level of a body policy and applies to the keys under its parent',
    source: 'https://docs.aws.amazon.com/sns/latest/dg/and-or-logic.html (OR operator, nested example)',
  },
};

/** Operators fauxqs 1.9.2 does not implement (table cases tagged with these are not sent to it). */
export const FAUXQS_MISSING_FEATURES: Readonly<Record<string, string>> = {
  wildcard: 'fauxqs 1.9.2 has no "wildcard" operator (added in 2.x)',
  'anything-but-wildcard': 'fauxqs 1.9.2 has no "anything-but": {"wildcard"} (added in 2.x)',
  'equals-ignore-case': 'fauxqs 1.9.2 has no "equals-ignore-case" operator (added in 2.x)',
  cidr: 'fauxqs 1.9.2 has no "cidr" operator (added in 2.x)',
};

type ConditionType = 'string' | 'number' | 'boolean' | 'null' | 'exists';

interface Leaf {
  readonly path: string;
  readonly conditions: readonly unknown[];
  readonly nestedOr: boolean;
}

const OPERATORS = new Set([
  'prefix',
  'suffix',
  'anything-but',
  'numeric',
  'exists',
  'equals-ignore-case',
  'wildcard',
  'cidr',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function leaves(policy: Record<string, unknown>, prefix = '', inNestedOr = false): Leaf[] {
  const out: Leaf[] = [];
  for (const [key, value] of Object.entries(policy)) {
    if (key === '$or' && Array.isArray(value) && value.length >= 2 && value.every(isRecord)) {
      for (const branch of value) out.push(...leaves(branch, prefix, inNestedOr || prefix !== ''));
      continue;
    }
    const path = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value)) out.push({ path, conditions: value, nestedOr: inNestedOr });
    else if (isRecord(value) && !Object.keys(value).some((k) => OPERATORS.has(k)))
      out.push(...leaves(value, path, inNestedOr));
  }
  return out;
}

function conditionType(condition: unknown): ConditionType | undefined {
  if (condition === null) return 'null';
  if (typeof condition === 'string') return 'string';
  if (typeof condition === 'number') return 'number';
  if (typeof condition === 'boolean') return 'boolean';
  if (!isRecord(condition)) return undefined;
  if ('exists' in condition) return 'exists';
  if ('numeric' in condition) return 'number';
  if ('anything-but' in condition) {
    const excluded = condition['anything-but'];
    const first = Array.isArray(excluded) ? excluded[0] : excluded;
    return typeof first === 'number' ? 'number' : 'string';
  }
  return 'string';
}

interface BodyValues {
  readonly values: unknown[];
  viaArray: boolean;
}

function bodyValues(body: unknown, path: string): BodyValues {
  const found: BodyValues = { values: [], viaArray: false };
  const walk = (node: unknown, at: string, arrayed: boolean) => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, at, true);
      return;
    }
    if (isRecord(node)) {
      for (const [key, child] of Object.entries(node)) {
        const next = at ? `${at}.${key}` : key;
        if (path === next || path.startsWith(`${next}.`)) walk(child, next, arrayed);
      }
      return;
    }
    if (at === path) {
      found.values.push(node);
      if (arrayed) found.viaArray = true;
    }
  };
  walk(body, '', false);
  return found;
}

function typeOfValue(value: unknown): ConditionType | undefined {
  if (value === null) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return undefined;
}

const isAnythingBut = (condition: unknown) => isRecord(condition) && 'anything-but' in condition;

/** The deviations of conditions meeting values of another type: anything-but ones, the rest, or both. */
function typeMismatches(leaf: Leaf, valueTypes: readonly (ConditionType | undefined)[]): DeviationId[] {
  const out = new Set<DeviationId>();
  for (const condition of leaf.conditions) {
    const expected = conditionType(condition);
    if (expected === undefined || expected === 'exists' || expected === 'null') continue;
    if (valueTypes.some((type) => type !== undefined && type !== 'null' && type !== expected)) {
      out.add(isAnythingBut(condition) ? 'anything-but-other-type' : 'type-blind-comparison');
    }
  }
  return [...out];
}

/** The documented fauxqs departures this pair exercises (empty when it exercises none). */
export function deviationsOf(pair: FilterPair): DeviationId[] {
  const found = new Set<DeviationId>();
  const all = leaves(pair.policy as Record<string, unknown>);
  const hasCondition = (leaf: Leaf, test: (condition: unknown) => boolean) => leaf.conditions.some(test);
  const isExists = (condition: unknown) => isRecord(condition) && 'exists' in condition;
  if (pair.scope === 'MessageAttributes') {
    const attributes = pair.attributes;
    if (
      Object.keys(attributes).length === 0 &&
      all.some((leaf) => hasCondition(leaf, (c) => c === null || (isRecord(c) && c.exists === false)))
    ) {
      found.add('empty-attribute-set');
    }
    for (const leaf of all) {
      const attribute = attributes[leaf.path];
      if (!attribute) continue;
      const base = attribute.dataType.startsWith('String.Array') ? 'String.Array' : attribute.dataType.split('.')[0];
      if (base === 'String.Array') found.add('string-array-attribute');
      else if (base === 'Binary') {
        if (leaf.conditions.some((c) => !isExists(c))) found.add('binary-attribute');
      } else {
        for (const id of typeMismatches(leaf, [base === 'Number' ? 'number' : 'string'])) found.add(id);
      }
    }
    return [...found];
  }
  let body: unknown;
  try {
    body = JSON.parse(pair.body ?? '');
  } catch {
    return [];
  }
  if (!isRecord(body)) return [];
  for (const leaf of all) {
    if (leaf.nestedOr) found.add('nested-or');
    const { values, viaArray } = bodyValues(body, leaf.path);
    if (viaArray) found.add('body-array');
    if (values.includes('') && leaf.conditions.some(isExists)) found.add('body-empty-value-exists');
    for (const id of typeMismatches(leaf, values.map(typeOfValue))) found.add(id);
  }
  return [...found];
}
