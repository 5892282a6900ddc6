import { parseCidr } from './cidr.js';
import { parseNumericOperand } from './numeric.js';
import type { Condition, Exclusion } from './types.js';
import { parseWildcard } from './wildcard.js';

/**
 * Turns one element of a leaf array into a validated Condition. Errors are returned as text (the
 * caller adds the key), worded after the operator that is wrong.
 */

export type ConditionParse =
  | { readonly ok: true; readonly condition: Condition }
  | { readonly ok: false; readonly error: string };

export const OPERATORS = [
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
];

const ANYTHING_BUT_FORMS = ['prefix', 'suffix', 'wildcard'];

function fail(error: string): ConditionParse {
  return { ok: false, error };
}

function ok(condition: Condition): ConditionParse {
  return { ok: true, condition };
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

export function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function parseExclusionForm(operand: Readonly<Record<string, unknown>>): { exclusion: Exclusion } | { error: string } {
  const keys = Object.keys(operand);
  const [form] = keys;
  if (form === undefined || keys.length !== 1) {
    return {
      error: `anything-but object needs exactly one of ${ANYTHING_BUT_FORMS.join(', ')}, got ${keys.length} keys`,
    };
  }
  if (!ANYTHING_BUT_FORMS.includes(form)) {
    return {
      error: `anything-but does not support "${form}"; use a value, a list, or one of ${ANYTHING_BUT_FORMS.join(', ')}`,
    };
  }
  const value = operand[form];
  if (typeof value !== 'string') return { error: `anything-but ${form} needs a string, got ${describe(value)}` };
  if (form === 'wildcard') {
    const parsed = parseWildcard(value);
    if (!parsed.ok) return { error: `anything-but ${parsed.error}` };
    return { exclusion: { type: 'wildcard', value } };
  }
  if (value === '') return { error: `anything-but ${form} must not be empty` };
  return { exclusion: { type: form === 'prefix' ? 'prefix' : 'suffix', value } };
}

function parseAnythingBut(operand: unknown): ConditionParse {
  if (typeof operand === 'string')
    return ok({ kind: 'anything-but', exclusion: { type: 'strings', values: [operand] } });
  if (typeof operand === 'number') {
    if (!Number.isFinite(operand)) return fail(`anything-but needs a finite number, got ${String(operand)}`);
    return ok({ kind: 'anything-but', exclusion: { type: 'numbers', values: [operand] } });
  }
  if (isPlainObject(operand)) {
    const parsed = parseExclusionForm(operand);
    return 'error' in parsed ? fail(parsed.error) : ok({ kind: 'anything-but', exclusion: parsed.exclusion });
  }
  if (!Array.isArray(operand)) {
    return fail(`anything-but needs a string, a number, a list, or {prefix|suffix|wildcard}, got ${describe(operand)}`);
  }
  if (operand.length === 0) return fail('anything-but list must not be empty');
  if (operand.every((item): item is string => typeof item === 'string')) {
    return ok({ kind: 'anything-but', exclusion: { type: 'strings', values: operand } });
  }
  if (operand.every((item): item is number => typeof item === 'number' && Number.isFinite(item))) {
    return ok({ kind: 'anything-but', exclusion: { type: 'numbers', values: operand } });
  }
  return fail('anything-but list must hold only strings or only numbers (no mixing, booleans, null or objects)');
}

function parseOperator(operator: string, operand: unknown): ConditionParse {
  switch (operator) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof operand !== 'string') return fail(`${operator} needs a string, got ${describe(operand)}`);
      return ok({ kind: operator, value: operand });
    case 'wildcard': {
      if (typeof operand !== 'string') return fail(`wildcard needs a string, got ${describe(operand)}`);
      const parsed = parseWildcard(operand);
      return parsed.ok ? ok({ kind: 'wildcard', value: operand }) : fail(parsed.error);
    }
    case 'anything-but':
      return parseAnythingBut(operand);
    case 'numeric': {
      const parsed = parseNumericOperand(operand);
      return parsed.ok ? ok({ kind: 'numeric', ...parsed.range }) : fail(parsed.error);
    }
    case 'exists':
      if (typeof operand !== 'boolean') return fail(`exists needs true or false, got ${describe(operand)}`);
      return ok({ kind: 'exists', value: operand });
    case 'cidr': {
      if (typeof operand !== 'string')
        return fail(`cidr needs a string such as "10.0.0.0/24", got ${describe(operand)}`);
      const parsed = parseCidr(operand);
      return parsed.ok ? ok({ kind: 'cidr', value: operand }) : fail(parsed.error);
    }
    default:
      return fail(`unknown operator "${operator}"; supported: ${OPERATORS.join(', ')}`);
  }
}

/** One leaf-array element: a string, a number, true/false/null, or a one-key operator object. */
export function parseCondition(element: unknown): ConditionParse {
  if (typeof element === 'string') return ok({ kind: 'string', value: element });
  if (typeof element === 'number') {
    if (!Number.isFinite(element)) return fail(`match value must be a finite number, got ${String(element)}`);
    return ok({ kind: 'number', value: element });
  }
  if (typeof element === 'boolean' || element === null) return ok({ kind: 'literal', value: element });
  if (!isPlainObject(element)) {
    return fail(
      `match value must be a string, number, true, false, null or an operator object, got ${describe(element)}`,
    );
  }
  const keys = Object.keys(element);
  const [operator] = keys;
  if (operator === undefined) return fail('operator object is empty; use e.g. {"prefix": "abc"}');
  if (keys.length > 1)
    return fail(`operator object must have exactly one operator, got ${keys.map((k) => `"${k}"`).join(', ')}`);
  return parseOperator(operator, element[operator]);
}
