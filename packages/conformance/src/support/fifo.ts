import type { Queue, ReceivedMessage } from '@msgport/core';
import type { CaseContext } from './context.js';
import { needs } from './gates.js';
import { receiveOne } from './receive.js';
import { newQueueOfKind, type QueueOptions } from './resources.js';

/** What the FIFO cases share: the gate, a FIFO queue with content-based dedup, and small readers. */
export function fifoHelpers(ctx: CaseContext) {
  return {
    fifo: needs(ctx, 'fifo'),
    fifoQueue: (tag: string, options: QueueOptions<string> = {}) =>
      newQueueOfKind(ctx, 'fifo', tag, { contentBasedDeduplication: true, ...options }),
    bodiesOf: (messages: readonly ReceivedMessage<string>[]) => messages.map((m) => m.body),
    /** Receives with maxMessages 1, deleting nothing. */
    next: (q: Queue<string>) => receiveOne(ctx, q),
  };
}
