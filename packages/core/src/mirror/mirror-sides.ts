import { InvalidParameterError } from '../errors.js';
import type { MirrorCounts } from './mirror-failure.js';

/** What a mirrored queue and a mirrored topic both expose besides their write methods. */
export interface MirrorSides<S> {
  readonly name: string;
  readonly fifo: boolean;
  readonly primary: S;
  readonly secondary: S;
  /** Messages written to the primary, copied to the secondary, and written to the primary only. */
  counts(): MirrorCounts;
}

/** The shared part of a mirror, after checking both sides are FIFO or both are not. */
export function mirrorSides<S extends { readonly name: string; readonly fifo: boolean }>(
  kind: 'queue' | 'topic',
  primary: S,
  secondary: S,
  counts: () => MirrorCounts,
): MirrorSides<S> {
  if (primary.fifo !== secondary.fifo) {
    throw new InvalidParameterError(
      `cannot mirror ${kind} "${primary.name}" to "${secondary.name}": one is a FIFO ${kind} and the other is not`,
    );
  }
  return { name: primary.name, fifo: primary.fifo, primary, secondary, counts };
}
