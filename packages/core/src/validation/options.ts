import { InvalidParameterError } from '../errors.js';
import { describe } from './ranges.js';

export { describe } from './ranges.js';

/**
 * An options argument as a plain object: `undefined` and `null` mean "no options"; anything that
 * is not a plain object (a string, an array, a class instance, a symbol) is `InvalidParameter`.
 * Fields set to `null` count as absent too, as `undefined` does: the copy leaves them out.
 */
export function optionsObject<T extends object>(name: string, value: T | null | undefined): Partial<T> & T {
  if (value === undefined || value === null) return {} as Partial<T> & T;
  if (!isPlainObject(value)) throw new InvalidParameterError(`${name} must be an object, got ${describe(value)}`);
  for (const key in value) {
    if (value[key as keyof T] === null) return withoutNulls(value) as Partial<T> & T;
  }
  return value;
}

function withoutNulls(value: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key in value) if (value[key] !== null) copy[key] = value[key];
  return copy;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** An optional `signal` option: absent, or a real `AbortSignal` (a look-alike would fail later, mid-I/O). */
export function optionalSignal(name: string, value: unknown): AbortSignal | undefined {
  if (value === undefined || value === null) return undefined;
  if (!(value instanceof AbortSignal)) {
    throw new InvalidParameterError(`${name} must be an AbortSignal, got ${describe(value)}`);
  }
  return value;
}

export function optionalBoolean(name: string, value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean')
    throw new InvalidParameterError(`${name} must be true or false, got ${describe(value)}`);
  return value;
}

export function optionalFunction<F extends (...args: never[]) => unknown>(name: string, value: unknown): F | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'function')
    throw new InvalidParameterError(`${name} must be a function, got ${describe(value)}`);
  return value as F;
}
