import { randomBytes } from 'node:crypto';
import { LIMITS } from '@msgport/core';
import type { QueueKind } from '../harness.js';

/** A short random id: 10 hex characters. */
export function shortId(): string {
  return randomBytes(5).toString('hex');
}

/**
 * A unique resource name `mpc-<tag>-<id>` (plus `.fifo`), within the 80-character queue name limit.
 * Every case names its own resources, so cases never share state and may run in parallel.
 */
export function uniqueName(tag: string, kind: QueueKind = 'standard'): string {
  const suffix = kind === 'fifo' ? '.fifo' : '';
  const id = shortId();
  const clean = tag.replace(/[^A-Za-z0-9_-]/g, '-');
  const room = LIMITS.queueNameMaxLength - suffix.length - id.length - 'mpc--'.length;
  return `mpc-${clean.slice(0, Math.min(room, 24))}-${id}${suffix}`;
}

/** A body unique to this call, so content-based deduplication never merges two test messages. */
export function uniqueBody(label: string): string {
  return `${label} ${shortId()}`;
}
