import { describe, expect, it } from 'vitest';
import { resolveQueueConfig, sameQueueConfig } from '../src/queue-config.js';

const codeOf = (action: () => unknown): string | undefined => {
  try {
    action();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('resolveQueueConfig', () => {
  // API reference, CreateQueue: FifoQueue designates a FIFO queue, whose name must end in .fifo.
  it('creates a FIFO queue only with fifo: true under a .fifo name', () => {
    expect(resolveQueueConfig('q.fifo', { fifo: true }).fifo).toBe(true);
    expect(resolveQueueConfig('q').fifo).toBe(false);
    expect(codeOf(() => resolveQueueConfig('q.fifo'))).toBe('InvalidParameter');
    expect(codeOf(() => resolveQueueConfig('q.fifo', { fifo: false }))).toBe('InvalidParameter');
    expect(codeOf(() => resolveQueueConfig('q', { fifo: true }))).toBe('InvalidParameter');
    expect(codeOf(() => resolveQueueConfig('q', { fifo: 'yes' as never }))).toBe('InvalidParameter');
  });

  // API reference, CreateQueue, Errors: InvalidAttributeName, "The specified attribute doesn't exist".
  it('names an unknown attribute in an InvalidAttributeName error; handle options are known', () => {
    const error = (() => {
      try {
        resolveQueueConfig('q', { VisibilityTimeout: 30 } as never);
      } catch (caught) {
        return caught as { code: string; message: string };
      }
      return undefined;
    })();
    expect(error?.code).toBe('InvalidAttributeName');
    expect(error?.message).toContain('"VisibilityTimeout"');
    expect(error?.message).not.toContain('30');
    expect(resolveQueueConfig('q', { codec: undefined, unwrapEnvelopes: true } as never).fifo).toBe(false);
  });

  // API reference, CreateQueue, FifoThroughputLimit: "The perMessageGroupId value is allowed only when the
  // value for DeduplicationScope is messageGroup."
  it('accepts fifoThroughputLimit on FIFO queues, perMessageGroupId only with messageGroup dedup scope', () => {
    expect(resolveQueueConfig('q.fifo', { fifo: true }).fifoThroughputLimit).toBe('perQueue');
    const fast = resolveQueueConfig('q.fifo', {
      fifo: true,
      deduplicationScope: 'messageGroup',
      fifoThroughputLimit: 'perMessageGroupId',
    });
    expect(fast.fifoThroughputLimit).toBe('perMessageGroupId');
    expect(codeOf(() => resolveQueueConfig('q.fifo', { fifo: true, fifoThroughputLimit: 'perMessageGroupId' }))).toBe(
      'InvalidParameter',
    );
    expect(codeOf(() => resolveQueueConfig('q.fifo', { fifo: true, fifoThroughputLimit: 'x' as never }))).toBe(
      'InvalidParameter',
    );
    expect(codeOf(() => resolveQueueConfig('q', { fifoThroughputLimit: 'perQueue' }))).toBe('InvalidParameter');
  });

  it('compares fifoThroughputLimit on re-create; a config stored without it reads as perQueue', () => {
    const plain = resolveQueueConfig('q.fifo', { fifo: true, deduplicationScope: 'messageGroup' });
    const fast = resolveQueueConfig('q.fifo', {
      fifo: true,
      deduplicationScope: 'messageGroup',
      fifoThroughputLimit: 'perMessageGroupId',
    });
    expect(sameQueueConfig(plain, fast)).toBe(false);
    const { fifoThroughputLimit: _dropped, ...stored } = plain;
    expect(sameQueueConfig(stored, plain)).toBe(true);
    expect(sameQueueConfig(stored, fast)).toBe(false);
  });
});
