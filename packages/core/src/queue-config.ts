import { InvalidAttributeNameError, InvalidParameterError } from './errors.js';
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

/** Whether a FIFO queue's throughput quota applies to the whole queue or to each message group. */
export type FifoThroughputLimit = 'perQueue' | 'perMessageGroupId';

export interface CreateQueueOptions {
  /** `true` creates a FIFO queue, whose name must end in `.fifo` (SQS `FifoQueue`); only FIFO names may. */
  readonly fifo?: boolean;
  readonly visibilityTimeoutSeconds?: number;
  readonly delaySeconds?: number;
  readonly retentionSeconds?: number;
  readonly maxMessageBytes?: number;
  readonly receiveWaitTimeSeconds?: number;
  readonly deadLetter?: DeadLetterOptions;
  readonly contentBasedDeduplication?: boolean;
  readonly deduplicationScope?: DeduplicationScope;
  /** FIFO queues; `perMessageGroupId` needs `deduplicationScope: 'messageGroup'` (SQS high throughput mode). */
  readonly fifoThroughputLimit?: FifoThroughputLimit;
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
  /** Absent means `perQueue`, the SQS default (config stored before this setting existed). */
  readonly fifoThroughputLimit?: FifoThroughputLimit;
}

/**
 * The options `createQueue` understands: the queue attributes and the handle options it passes on to
 * the `Queue` it returns. Anything else is `InvalidAttributeName`, as SQS answers an unknown attribute
 * (API reference, CreateQueue, Errors: "InvalidAttributeName – The specified attribute doesn't exist").
 */
const QUEUE_OPTION_NAMES: ReadonlySet<string> = new Set([
  'fifo',
  'visibilityTimeoutSeconds',
  'delaySeconds',
  'retentionSeconds',
  'maxMessageBytes',
  'receiveWaitTimeSeconds',
  'deadLetter',
  'contentBasedDeduplication',
  'deduplicationScope',
  'fifoThroughputLimit',
  'codec',
  'unwrapEnvelopes',
]);

function assertKnownOptions(options: object): void {
  if (options === null || typeof options !== 'object') return;
  for (const key of Object.keys(options)) {
    if (!QUEUE_OPTION_NAMES.has(key)) {
      throw new InvalidAttributeNameError(
        `unknown queue attribute ${JSON.stringify(key.slice(0, 64))}; known: ${[...QUEUE_OPTION_NAMES].join(', ')}`,
      );
    }
  }
}

/**
 * SQS creates a FIFO queue only when asked (`FifoQueue=true`) and only under a `.fifo` name; without
 * the attribute a `.fifo` name is a standard queue name with a forbidden ".", so both are refused
 * (API reference, CreateQueue: "FifoQueue – Designates a queue as FIFO … If you don't specify the
 * FifoQueue attribute, Amazon SQS creates a standard queue"; QueueName: "A FIFO queue name must end
 * with the .fifo suffix").
 */
function assertFifoAgrees(name: string, fifo: boolean, requested: unknown): void {
  if (requested !== undefined && typeof requested !== 'boolean') {
    throw new InvalidParameterError(`fifo must be true or false, got ${describe(requested)}`);
  }
  if (requested === true && !fifo)
    throw new InvalidParameterError(`FIFO queue names must end in ".fifo", got "${name}"`);
  if (fifo && requested !== true) {
    throw new InvalidParameterError(
      `queue "${name}" ends in ".fifo": pass fifo: true to create a FIFO queue (standard queue names cannot contain ".")`,
    );
  }
}

export function resolveQueueConfig(name: string, options: CreateQueueOptions = {}): QueueConfig {
  assertQueueName(name);
  assertKnownOptions(options);
  const fifo = isFifoName(name);
  assertFifoAgrees(name, fifo, options.fifo);
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
  const fifoOnly = ['contentBasedDeduplication', 'deduplicationScope', 'fifoThroughputLimit'] as const;
  if (!fifo && fifoOnly.some((option) => options[option] !== undefined)) {
    throw new InvalidParameterError(
      `contentBasedDeduplication, deduplicationScope and fifoThroughputLimit apply to FIFO queues only; "${name}" is a standard queue`,
    );
  }
  if (options.deduplicationScope !== undefined && !['queue', 'messageGroup'].includes(options.deduplicationScope)) {
    throw new InvalidParameterError(
      `deduplicationScope must be "queue" or "messageGroup", got ${describe(options.deduplicationScope)}`,
    );
  }
  assertThroughputLimit(options);
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
    fifoThroughputLimit: options.fifoThroughputLimit ?? 'perQueue',
  };
}

/**
 * `fifoThroughputLimit` is `perQueue` or `perMessageGroupId`, and "the perMessageGroupId value is
 * allowed only when the value for DeduplicationScope is messageGroup" (API reference, CreateQueue).
 */
function assertThroughputLimit(options: CreateQueueOptions): void {
  const limit = options.fifoThroughputLimit;
  if (limit === undefined) return;
  if (limit !== 'perQueue' && limit !== 'perMessageGroupId') {
    throw new InvalidParameterError(
      `fifoThroughputLimit must be "perQueue" or "perMessageGroupId", got ${describe(limit)}`,
    );
  }
  if (limit === 'perMessageGroupId' && options.deduplicationScope !== 'messageGroup') {
    throw new InvalidParameterError(
      'fifoThroughputLimit "perMessageGroupId" needs deduplicationScope "messageGroup" (SQS high throughput mode)',
    );
  }
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
    a.deduplicationScope === b.deduplicationScope &&
    (a.fifoThroughputLimit ?? 'perQueue') === (b.fifoThroughputLimit ?? 'perQueue')
  );
}
