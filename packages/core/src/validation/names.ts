import { InvalidParameterError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { describe, quote } from './ranges.js';

const NAME_CHARS = /^[A-Za-z0-9_-]+$/;
const FIFO_SUFFIX = '.fifo';

export function isFifoName(name: string): boolean {
  return name.endsWith(FIFO_SUFFIX);
}

function assertResourceName(kind: 'queue' | 'topic', name: unknown, maxLength: number): asserts name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > maxLength) {
    throw new InvalidParameterError(`${kind} name must be 1 to ${maxLength} characters, got ${describe(name)}`);
  }
  const stem = isFifoName(name) ? name.slice(0, -FIFO_SUFFIX.length) : name;
  if (!NAME_CHARS.test(stem)) {
    throw new InvalidParameterError(
      `${kind} name ${quote(name)} may only contain letters, digits, "-" and "_" (FIFO ${kind}s end in ".fifo")`,
    );
  }
}

export function assertQueueName(name: unknown): asserts name is string {
  assertResourceName('queue', name, LIMITS.queueNameMaxLength);
}

export function assertTopicName(name: unknown): asserts name is string {
  assertResourceName('topic', name, LIMITS.topicNameMaxLength);
}
