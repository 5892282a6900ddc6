import { InvalidParameterError } from '../errors.js';

/** Whole numbers of a unit (seconds, messages, bytes) within an inclusive range, as SQS requires. */
export function assertIntegerInRange(name: string, value: unknown, min: number, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidParameterError(`${name} must be a whole number from ${min} to ${max}, got ${describe(value)}`);
  }
}

export function assertOptionalIntegerInRange(name: string, value: unknown, min: number, max: number): void {
  if (value !== undefined) assertIntegerInRange(name, value, min, max);
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return typeof value;
}
