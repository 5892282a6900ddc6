import { randomUUID } from 'node:crypto';
import { MsgportError } from '@msgport/core/driver';
import { captureLogger } from '@msgport/test-support';
import { describe, expect, it } from 'vitest';
import { ConnectionLog } from '../src/connection-log.js';
import type { DriverContext } from '../src/context.js';
import { encodeEnvelope } from '../src/envelope.js';
import { createKeySpace } from '../src/keys.js';
import { messageKey } from '../src/message-key.js';
import type { RedisQueues } from '../src/queue-ops.js';
import { Receiver } from '../src/receiver.js';

/**
 * A receive aborted after its script took messages hands them back at once (visibility 0). When
 * that fails, the messages stay invisible until their visibility timeout: nobody receives them
 * meanwhile, and that used to happen without a word.
 */
describe('handing back what an aborted receive took', () => {
  it('logs a failure, with the queue, the count and the reason', async () => {
    const controller = new AbortController();
    const now = Date.now();
    const context = {
      keys: createKeySpace('mpt:'),
      cluster: false,
      scripts: {
        run: async () => {
          controller.abort(new Error('stop'));
          return [
            'OK',
            now,
            -1,
            'inc',
            1,
            messageKey(randomUUID()),
            `1:${now}:0:${now}:0:0:0:0:${encodeEnvelope('b', {})}`,
          ];
        },
      },
    } as unknown as DriverContext;
    const queues = {
      release: async () => {
        throw new MsgportError('Unavailable', 'the connection to Redis was lost', { transport: 'redis' });
      },
    } as unknown as RedisQueues;
    const logger = captureLogger();
    const receiver = new Receiver(context, queues, new ConnectionLog(logger, 'redis://cache:6379'));
    await expect(
      receiver.receive('jobs', { maxMessages: 10, waitTimeSeconds: 5, signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'Aborted' });
    expect(logger.lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: expect.stringContaining('visibility timeout'),
        fields: expect.objectContaining({
          queue: 'jobs',
          messages: 1,
          code: 'Unavailable',
          error: 'the connection to Redis was lost',
        }),
      }),
    ]);
  });
});
