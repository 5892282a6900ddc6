import type { Clock } from '../clock.js';
import { InvalidParameterError } from '../errors.js';
import type { LoggerOption } from '../logging/logger.js';
import { assertIntegerInRange, assertOptionalIntegerInRange } from '../validation/ranges.js';

/** Options and ranges of the Lambda SQS event source mapping. */
export interface ConsumeOptions {
  /** Messages per invocation: 1–10,000 (FIFO ≤ 10; > 10 needs a batching window ≥ 1 s). Default 10. */
  readonly batchSize?: number;
  /** Seconds to gather a batch: 0–300, standard queues only. Default 0. */
  readonly maximumBatchingWindowSeconds?: number;
  /** Concurrent batches: 2–1,000. Default 1,000. */
  readonly maximumConcurrency?: number;
  /**
   * How many concurrent batches may be added per minute while batches come back full: 1–60,000.
   * Default 300, the rate AWS documents for the SQS event source mapping; raise it to scale faster.
   */
  readonly scaleUpPerMinute?: number;
  /** `['ReportBatchItemFailures']` enables partial batch responses. */
  readonly functionResponseTypes?: readonly 'ReportBatchItemFailures'[];
  /** The handler's time limit: 1–900 s. Default 3 (Lambda's default). */
  readonly functionTimeoutSeconds?: number;
  /** Extend the batch's visibility every this many seconds while the handler runs. Off by default. */
  readonly heartbeatSeconds?: number;
  /** Long-poll length while idle: 1–20 s. Default 20. */
  readonly waitTimeSeconds?: number;
  /** Shown in records (`awsRegion`, `eventSourceARN`). Default `local`. */
  readonly region?: string;
  /** Shown in the Lambda context. Default `msgport-consumer`. */
  readonly functionName?: string;
  /** Time for batching windows, timeouts and heartbeats; pass the transport's clock in tests. */
  readonly clock?: Clock;
  /**
   * Where handler failures, transport errors and guard-rail warnings are reported: any
   * `{ debug, info, warn, error }` object, or `false` to silence them. Default: the broker's logger.
   */
  readonly logger?: LoggerOption;
}

export interface ResolvedConsumeOptions {
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  readonly maximumConcurrency: number;
  readonly scaleUpPerMinute: number;
  readonly reportBatchItemFailures: boolean;
  readonly functionTimeoutSeconds: number;
  readonly heartbeatSeconds: number | undefined;
  readonly waitTimeSeconds: number;
  readonly region: string;
  readonly functionName: string;
}

/** Initial concurrency of the event source mapping: five batches. */
export const INITIAL_CONCURRENCY = 5;

/** Concurrent batches the event source mapping adds per minute at most while the queue has a backlog. */
export const SCALE_UP_PER_MINUTE = 300;

export function resolveConsumeOptions(options: ConsumeOptions, fifo: boolean): ResolvedConsumeOptions {
  const batchSize = options.batchSize ?? 10;
  const window = options.maximumBatchingWindowSeconds ?? 0;
  assertIntegerInRange('batchSize', batchSize, 1, fifo ? 10 : 10_000);
  assertIntegerInRange('maximumBatchingWindowSeconds', window, 0, 300);
  if (fifo && window > 0)
    throw new InvalidParameterError('maximumBatchingWindowSeconds applies to standard queues only');
  if (batchSize > 10 && window < 1) {
    throw new InvalidParameterError('a batchSize above 10 needs maximumBatchingWindowSeconds of at least 1');
  }
  const maximumConcurrency = options.maximumConcurrency ?? 1_000;
  assertIntegerInRange('maximumConcurrency', maximumConcurrency, 2, 1_000);
  const scaleUpPerMinute = options.scaleUpPerMinute ?? SCALE_UP_PER_MINUTE;
  assertIntegerInRange('scaleUpPerMinute', scaleUpPerMinute, 1, 60_000);
  const types = options.functionResponseTypes ?? [];
  if (!Array.isArray(types) || types.some((type) => type !== 'ReportBatchItemFailures') || types.length > 1) {
    throw new InvalidParameterError('functionResponseTypes may only be ["ReportBatchItemFailures"]');
  }
  const functionTimeoutSeconds = options.functionTimeoutSeconds ?? 3;
  assertIntegerInRange('functionTimeoutSeconds', functionTimeoutSeconds, 1, 900);
  assertOptionalIntegerInRange('heartbeatSeconds', options.heartbeatSeconds, 1, 43_200);
  const waitTimeSeconds = options.waitTimeSeconds ?? 20;
  assertIntegerInRange('waitTimeSeconds', waitTimeSeconds, 1, 20);
  return {
    batchSize,
    maximumBatchingWindowSeconds: window,
    maximumConcurrency,
    scaleUpPerMinute,
    reportBatchItemFailures: types.length === 1,
    functionTimeoutSeconds,
    heartbeatSeconds: options.heartbeatSeconds,
    waitTimeSeconds,
    region: options.region ?? 'local',
    functionName: options.functionName ?? 'msgport-consumer',
  };
}
