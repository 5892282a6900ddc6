import type { NumericBound } from './types.js';

/**
 * Numeric matching. The SNS guide ("Filter policy constraints"): a numeric policy value "can range
 * from -10^9 to 10^9 (-1 billion to 1 billion), with five digits of accuracy after the decimal point".
 * Messages are compared as IEEE doubles, as the policy and message numbers both are in JSON.
 */

export const NUMERIC_LIMIT = 1e9;
export const NUMERIC_MAX_DECIMALS = 5;

const OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

export interface NumericRange {
  readonly lower?: NumericBound;
  readonly upper?: NumericBound;
}

export type NumericParse =
  | { readonly ok: true; readonly range: NumericRange }
  | { readonly ok: false; readonly error: string };

/** Digits after the decimal point in the shortest decimal form of `value` (handles `1e-7`). */
export function decimalPlaces(value: number): number {
  const match = /^-?\d+(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (match === null) return 0;
  const fraction = match[1]?.length ?? 0;
  const exponent = match[2] === undefined ? 0 : Number(match[2]);
  return Math.max(0, fraction - exponent);
}

/** Why `value` cannot be used in a numeric comparison, or undefined when it can. */
export function numericValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'number') return 'needs a number';
  if (!Number.isFinite(value)) return `needs a finite number, got ${String(value)}`;
  if (Math.abs(value) > NUMERIC_LIMIT) return `value ${value} is outside the range -1e9 to 1e9`;
  if (decimalPlaces(value) > NUMERIC_MAX_DECIMALS) {
    return `value ${value} has more than ${NUMERIC_MAX_DECIMALS} digits after the decimal point`;
  }
  return undefined;
}

function fail(error: string): NumericParse {
  return { ok: false, error };
}

function bound(value: number, inclusive: boolean): NumericBound {
  return { value, inclusive };
}

/**
 * Parses the operand of `{"numeric": [...]}`: `["=", n]`, `["<" | "<=" | ">" | ">=", n]`, or a range
 * `[">" | ">=", low, "<" | "<=", high]` with low < high. Any other shape is an error, as on SNS.
 */
export function parseNumericOperand(operand: unknown): NumericParse {
  if (!Array.isArray(operand)) return fail('numeric needs an array such as [">", 0, "<=", 150]');
  if (operand.length === 0) return fail('numeric needs an operator and a number, got an empty array');
  const [operator, first] = operand as unknown[];
  if (typeof operator !== 'string') return fail(`numeric must start with an operator, got ${JSON.stringify(operator)}`);
  if (!OPERATORS.has(operator)) {
    return fail(`numeric operator "${operator}" is not one of =, <, <=, >, >=`);
  }
  const firstProblem = numericValueProblem(first);
  if (firstProblem !== undefined) return fail(`numeric operator "${operator}" ${firstProblem}`);
  const value = first as number;

  if (operand.length === 2) {
    switch (operator) {
      case '=':
        return { ok: true, range: { lower: bound(value, true), upper: bound(value, true) } };
      case '<':
        return { ok: true, range: { upper: bound(value, false) } };
      case '<=':
        return { ok: true, range: { upper: bound(value, true) } };
      case '>':
        return { ok: true, range: { lower: bound(value, false) } };
      default:
        return { ok: true, range: { lower: bound(value, true) } };
    }
  }
  if (operator !== '>' && operator !== '>=') {
    return fail(`numeric operator "${operator}" takes a single number; only ">" or ">=" can start a range`);
  }
  const [, , secondOperator, second] = operand as unknown[];
  if (secondOperator !== '<' && secondOperator !== '<=') {
    return fail(`numeric range needs "<" or "<=" after the lower bound, got ${JSON.stringify(secondOperator)}`);
  }
  if (operand.length < 4) return fail(`numeric operator "${secondOperator}" needs a number`);
  const secondProblem = numericValueProblem(second);
  if (secondProblem !== undefined) return fail(`numeric operator "${secondOperator}" ${secondProblem}`);
  if (operand.length > 4) return fail('numeric range has too many elements; use [">", low, "<=", high]');
  const high = second as number;
  if (!(value < high)) return fail(`numeric range lower bound ${value} must be less than upper bound ${high}`);
  return {
    ok: true,
    range: { lower: bound(value, operator === '>='), upper: bound(high, secondOperator === '<=') },
  };
}

export function inNumericRange(value: number, range: NumericRange): boolean {
  const { lower, upper } = range;
  if (lower !== undefined && (lower.inclusive ? value < lower.value : value <= lower.value)) return false;
  if (upper !== undefined && (upper.inclusive ? value > upper.value : value >= upper.value)) return false;
  return true;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The value of a `Number` attribute (`"3.015e2"`), or undefined when it is not a decimal number. */
export function parseDecimal(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}
