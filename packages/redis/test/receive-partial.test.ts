import { randomUUID } from 'node:crypto';
import { MsgportError } from '@msgport/core/driver';
import { describe, expect, it } from 'vitest';
import type { DriverContext } from '../src/context.js';
import { encodeEnvelope } from '../src/envelope.js';
import { createKeySpace } from '../src/keys.js';
import { messageKey } from '../src/message-key.js';
import type { RedisQueues } from '../src/queue-ops.js';
import { Receiver } from '../src/receiver.js';
import { keySlot } from '../src/slot.js';

/** A stored record as the receive script returns it: receive count 1, no group. */
function record(body: string): string {
  const now = Date.now();
  return `1:${now}:0:${now}:0:0:0:0:${encodeEnvelope(body, {})}`;
}

/**
 * On Redis Cluster a receive whose dead-letter queue lives on another slot runs in rounds: the
 * receive script hands over what goes to the dead-letter queue, the client moves it, and the next
 * round continues. Messages received in an earlier round are in flight under this receive: when a
 * later step fails they are returned, not dropped with the error (core would retry the receive and
 * they would stay hidden until their visibility timeout).
 */
describe('a receive whose dead-letter hand-off fails', () => {
  it('returns the messages it received before the failure', async () => {
    const keys = createKeySpace('mpt:');
    // Queues on two slots, so the dead-letter route is remote.
    expect(keySlot(keys.queueKey('jobs', 'cfg'))).not.toBe(keySlot(keys.queueKey('jobs-dlq', 'cfg')));
    const id = randomUUID();
    const replies: unknown[][] = [
      ['STALE', 'jobs-dlq'],
      ['OK', Date.now(), -1, 'inc', 1, messageKey(id), record('kept'), 1, messageKey(randomUUID()), record('dead')],
    ];
    let calls = 0;
    const context = {
      keys,
      cluster: true,
      scripts: {
        run: async () => {
          calls++;
          const reply = replies.shift();
          if (reply) return reply;
          throw new MsgportError('Unavailable', 'the dead-letter queue slot is unreachable', { transport: 'redis' });
        },
      },
    } as unknown as DriverContext;
    const receiver = new Receiver(context, {} as RedisQueues);
    const attempt = await receiver.attempt('jobs', 10);
    expect(attempt.messages.map((message) => [message.messageId, message.body])).toEqual([[id, 'kept']]);
    // The stale route, the round that received, the failed hand-off.
    expect(calls).toBe(3);
  });
});
