import { describe, expect, it } from 'vitest';
import { resolveConsumeOptions } from '../../src/consumer/consume-options.js';

describe('event source mapping options', () => {
  it('applies Lambda defaults', () => {
    expect(resolveConsumeOptions({}, false)).toMatchObject({
      batchSize: 10,
      maximumBatchingWindowSeconds: 0,
      maximumConcurrency: 1_000,
      reportBatchItemFailures: false,
      functionTimeoutSeconds: 3,
      waitTimeSeconds: 20,
    });
  });

  it.each([
    [{ batchSize: 0 }, false],
    [{ batchSize: 10_001, maximumBatchingWindowSeconds: 1 }, false],
    [{ batchSize: 11 }, false],
    [{ batchSize: 11, maximumBatchingWindowSeconds: 1 }, true],
    [{ maximumBatchingWindowSeconds: 1 }, true],
    [{ maximumBatchingWindowSeconds: 301 }, false],
    [{ maximumConcurrency: 1 }, false],
    [{ maximumConcurrency: 1_001 }, false],
    [{ functionTimeoutSeconds: 0 }, false],
    [{ functionResponseTypes: ['Other'] }, false],
    [{ waitTimeSeconds: 21 }, false],
  ])('%j (fifo %s) is InvalidParameter', (options, fifo) => {
    expect(() => resolveConsumeOptions(options as never, fifo)).toThrow(
      expect.objectContaining({ code: 'InvalidParameter' }),
    );
  });

  it('accepts the documented extremes', () => {
    expect(() =>
      resolveConsumeOptions({ batchSize: 10_000, maximumBatchingWindowSeconds: 300, maximumConcurrency: 2 }, false),
    ).not.toThrow();
    expect(() => resolveConsumeOptions({ batchSize: 10, maximumConcurrency: 1_000 }, true)).not.toThrow();
  });
});
