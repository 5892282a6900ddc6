import type { Prng } from './prng.js';

class Custom {
  readonly value = 1;
}

/**
 * Values no argument accepts, of every type: what a caller passes by mistake (or JavaScript passes
 * for them). Throwing getters and proxies are left out: an error they throw is the caller's own.
 */
export const HOSTILE: readonly unknown[] = [
  0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 53,
  '',
  ' ',
  'x'.repeat(300),
  'a b',
  '\u0000',
  '\uD800',
  Symbol('fuzz'),
  10n,
  true,
  false,
  [],
  [1, 'a'],
  {},
  Object.create(null),
  new Map([['a', 1]]),
  new Date(0),
  () => 'fn',
  new Custom(),
  Promise.resolve(1),
  new Uint8Array(2),
  { aborted: false, addEventListener() {} },
  new AbortController(),
];

/** `null` and `undefined`: absent wherever an option may be left out. */
export const ABSENT: readonly unknown[] = [null, undefined];

export function hostile(rng: Prng): unknown {
  return rng.pick(HOSTILE);
}

/** An options object where one field (or the whole object) is hostile. */
export function hostileOptions(rng: Prng, fields: readonly string[]): unknown {
  if (rng.chance(0.25)) return hostile(rng);
  return { [rng.pick(fields)]: hostile(rng) };
}

/** A valid options object: some of `valid`'s fields, others left absent (missing, null or undefined). */
export function someOptions(rng: Prng, valid: Readonly<Record<string, () => unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, make] of Object.entries(valid)) {
    const roll = rng.next();
    if (roll < 0.4) out[name] = make();
    else if (roll < 0.5) out[name] = rng.pick(ABSENT);
  }
  return out;
}
