import { InvalidParameterError } from './errors.js';
import { LIMITS } from './limits.js';
import { assertQueueName, isFifoName } from './validation/names.js';
import { assertIntegerInRange, assertOptionalIntegerInRange, describe } from './validation/ranges.js';

export interface DeadLetterOptions {
  /** Name of the dead-letter queue; it must exist and be of the same type (FIFO ↔ FIFO). */
  readonly queue: string;
  /** A message is received at most this many times from the source (1–1,000). */
  readonly maxReceiveCount: number;
}

export type DeduplicationScope = 'queue' | 'messageGroup';

export interface CreateQueueOptions {
  /** Must agree with the name: FIFO queues end in `.fifo`. */
  readonly fifo?: boolean;
  readonly visibilityTimeoutSeconds?: number;
  readonly delaySeconds?: number;
  readonly retentionSeconds?: number;
  readonly maxMessageBytes?: number;
  readonly receiveWaitTimeSeconds?: number;
  readonly deadLetter?: DeadLetterOptions;
  readonly contentBasedDeduplication?: boolean;
  readonly deduplicationScope?: DeduplicationScope;
}

/** A queue's settings with every default applied, as drivers store and compare them. */
export interface QueueConfig {
  readonly fifo: boolean;
  readonly visibilityTimeoutSeconds: number;
  readonly delaySeconds: number;
  readonly retentionSeconds: number;
  readonly maxMessageBytes: number;
  readonly receiveWaitTimeSeconds: number;
  readonly deadLetter?: DeadLetterOptions;
  readonly contentBasedDeduplication: boolean;
  readonly deduplicationScope: DeduplicationScope;
}

export function resolveQueueConfig(name: string, options: CreateQueueOptions = {}): QueueConfig {
  assertQueueName(name);
  const fifo = isFifoName(name);
  if (options.fifo !== undefined && options.fifo !== fifo) {
    throw new InvalidParameterError(
      options.fifo
        ? `FIFO queue names must end in ".fifo", got "${name}"`
        : `queue "${name}" ends in ".fifo", so it is a FIFO queue; drop "fifo: false" or rename it`,
    );
  }
  assertOptionalIntegerInRange(
    'visibilityTimeoutSeconds',
    options.visibilityTimeoutSeconds,
    0,
    LIMITS.visibilityTimeoutMaxSeconds,
  );
  assertOptionalIntegerInRange('delaySeconds', options.delaySeconds, 0, LIMITS.delayMaxSeconds);
  assertOptionalIntegerInRange(
    'retentionSeconds',
    options.retentionSeconds,
    LIMITS.retentionMinSeconds,
    LIMITS.retentionMaxSeconds,
  );
  assertOptionalIntegerInRange(
    'maxMessageBytes',
    options.maxMessageBytes,
    LIMITS.messageBytesMin,
    LIMITS.messageBytesMax,
  );
  assertOptionalIntegerInRange('receiveWaitTimeSeconds', options.receiveWaitTimeSeconds, 0, LIMITS.waitTimeMaxSeconds);
  if (!fifo && (options.contentBasedDeduplication !== undefined || options.deduplicationScope !== undefined)) {
    throw new InvalidParameterError(
      `contentBasedDeduplication and deduplicationScope apply to FIFO queues only; "${name}" is a standard queue`,
    );
  }
  if (options.deduplicationScope !== undefined && !['queue', 'messageGroup'].includes(options.deduplicationScope)) {
    throw new InvalidParameterError(
      `deduplicationScope must be "queue" or "messageGroup", got ${describe(options.deduplicationScope)}`,
    );
  }
  const deadLetter = options.deadLetter;
  if (deadLetter !== undefined) {
    assertQueueName(deadLetter.queue);
    assertIntegerInRange(
      'deadLetter.maxReceiveCount',
      deadLetter.maxReceiveCount,
      LIMITS.maxReceiveCountMin,
      LIMITS.maxReceiveCountMax,
    );
    if (isFifoName(deadLetter.queue) !== fifo) {
      throw new InvalidParameterError(
        `the dead-letter queue of a ${fifo ? 'FIFO' : 'standard'} queue must be ${fifo ? 'a FIFO' : 'a standard'} queue, got "${deadLetter.queue}"`,
      );
    }
    if (deadLetter.queue === name)
      throw new InvalidParameterError(`queue "${name}" cannot be its own dead-letter queue`);
  }
  return {
    fifo,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? LIMITS.visibilityTimeoutDefaultSeconds,
    delaySeconds: options.delaySeconds ?? 0,
    retentionSeconds: options.retentionSeconds ?? LIMITS.retentionDefaultSeconds,
    maxMessageBytes: options.maxMessageBytes ?? LIMITS.messageBytesDefault,
    receiveWaitTimeSeconds: options.receiveWaitTimeSeconds ?? 0,
    ...(deadLetter ? { deadLetter: { queue: deadLetter.queue, maxReceiveCount: deadLetter.maxReceiveCount } } : {}),
    contentBasedDeduplication: options.contentBasedDeduplication ?? false,
    deduplicationScope: options.deduplicationScope ?? 'queue',
  };
}

export function sameQueueConfig(a: QueueConfig, b: QueueConfig): boolean {
  return (
    a.fifo === b.fifo &&
    a.visibilityTimeoutSeconds === b.visibilityTimeoutSeconds &&
    a.delaySeconds === b.delaySeconds &&
    a.retentionSeconds === b.retentionSeconds &&
    a.maxMessageBytes === b.maxMessageBytes &&
    a.receiveWaitTimeSeconds === b.receiveWaitTimeSeconds &&
    a.deadLetter?.queue === b.deadLetter?.queue &&
    a.deadLetter?.maxReceiveCount === b.deadLetter?.maxReceiveCount &&
    a.contentBasedDeduplication === b.contentBasedDeduplication &&
    a.deduplicationScope === b.deduplicationScope
  );
}
