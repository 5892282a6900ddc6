import { describe, expect, it } from 'vitest';
import { defineCapabilities, LIMITS, SQS_CAPABILITIES } from '../../src/driver/index.js';

describe('defineCapabilities', () => {
  it('starts from SQS with SNS topics, at the SQS limits', () => {
    expect(SQS_CAPABILITIES).toMatchObject({
      fifo: true,
      topics: true,
      maxBatchSize: LIMITS.batchEntriesMax,
      maxMessageBytes: LIMITS.messageBytesMax,
      maxDelaySeconds: LIMITS.delayMaxSeconds,
      crashRedelivery: 'afterVisibilityTimeout',
      receiptHandleScope: 'global',
    });
    expect(defineCapabilities()).toEqual(SQS_CAPABILITIES);
  });

  it('a transport states only its differences; the result is frozen', () => {
    const caps = defineCapabilities({ persistent: false, crashRedelivery: 'immediate' });
    expect(caps.persistent).toBe(false);
    expect(caps.crashRedelivery).toBe('immediate');
    expect(caps.fifo).toBe(true);
    expect(Object.isFrozen(caps)).toBe(true);
    expect(SQS_CAPABILITIES.persistent).toBe(true);
  });
});
