import { resolveQueueConfig } from '@msgport/core/driver';
import { captureLogger } from '@msgport/test-support';
import { describe, expect, it } from 'vitest';
import type { Publisher } from '../src/publisher.js';
import type { QueueChannel } from '../src/queue-channel.js';
import { RegistryState } from '../src/registry-state.js';
import { delivery, receiverWith } from './support/fake-receiver.js';

/**
 * A delivery past its queue's maxReceiveCount is moved to the dead-letter queue by the receive that
 * meets it. When that publish fails, the delivery goes back (reject) and the next receive tries
 * again. That used to happen in silence: with a dead-letter queue that cannot take messages, a
 * message went round forever and nothing said so.
 */
describe('a dead-letter move that fails', () => {
  it('returns the message to its queue and logs why', async () => {
    const state = new RegistryState();
    state.queues.set('dlq', { id: '2', name: 'dlq', config: resolveQueueConfig('dlq', {}), createdAt: 0 });
    const source = {
      id: '1',
      name: 'q',
      config: resolveQueueConfig('q', { deadLetter: { queue: 'dlq', maxReceiveCount: 1 } }),
      createdAt: 0,
    };
    const settled: string[] = [];
    const ready = [delivery('m1', 1)];
    const channel = {
      brokerQueue: 'q',
      get: async (wanted: number) => ready.splice(0, wanted),
      poll: async () => [],
      hold: () => {},
      settle: (_raw: unknown, how: string) => settled.push(how),
    } as unknown as QueueChannel;
    const publisher = {
      publish: async () => {
        throw new Error('PRECONDITION_FAILED - the dead-letter queue is full');
      },
    } as unknown as Publisher;
    const logger = captureLogger();
    const receiver = receiverWith({ channelFor: async () => channel }, logger, { state, publisher });
    const messages = await receiver.receive(source, { maxMessages: 1, waitTimeSeconds: 0 });
    expect(messages).toEqual([]);
    expect(settled).toEqual(['reject']);
    expect(logger.lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: expect.stringContaining('dead-letter queue'),
        fields: expect.objectContaining({
          queue: 'q',
          deadLetterQueue: 'dlq',
          messageId: 'm1',
          error: 'PRECONDITION_FAILED - the dead-letter queue is full',
        }),
      }),
    ]);
  });
});
