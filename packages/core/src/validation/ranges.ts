import { InvalidParameterError } from '../errors.js';

/** Whole numbers of a unit (seconds, messages, bytes) within an inclusive range, as SQS requires. */
export function assertIntegerInRange(name: string, value: unknown, min: number, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidParameterError(`${name} must be a whole number from ${min} to ${max}, got ${describe(value)}`);
  }
}

export function assertOptionalIntegerInRange(name: string, value: unknown, min: number, max: number): void {
  if (value !== undefined && value !== null) assertIntegerInRange(name, value, min, max);
}

/**
 * A value for an error message: numbers, booleans and null as they are; a string only by its length,
 * since it may be a secret (an attribute value, a receipt handle, a token). Names use `quote`.
 */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return typeof name === 'string' && name !== 'Object' ? `an instance of ${name}` : 'an object';
  }
  return `a ${typeof value}`;
}

/** An identifier the caller chose (a queue, topic or attribute name, a batch entry id), shortened. */
export function quote(value: unknown): string {
  if (typeof value !== 'string') return describe(value);
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
