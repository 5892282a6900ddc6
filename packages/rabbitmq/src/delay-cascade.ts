import type { PublishRequest } from './publisher.js';
import { DELAY_ENTRY_EXCHANGE, delayRoutingKey } from './topology.js';

/**
 * Delayed delivery through the shared TTL cascade (see `declareDelayCascade`): the message enters the
 * top level with its delay in the routing key and reaches the queue `delaySeconds` later (plus a few
 * milliseconds per level), surviving broker restarts on the way.
 */
export function delayedPublish(
  brokerQueue: string,
  delaySeconds: number,
  message: Pick<PublishRequest, 'content' | 'options'>,
): PublishRequest {
  return {
    exchange: DELAY_ENTRY_EXCHANGE,
    routingKey: delayRoutingKey(delaySeconds, brokerQueue),
    content: message.content,
    options: message.options,
  };
}

/**
 * ApproximateNumberOfMessagesDelayed as far as this process knows: the delay levels are shared by all
 * queues, so the broker cannot count one queue's delayed messages; each process counts what it sent.
 */
export class DelayedCounter {
  readonly #due = new Map<string, number[]>();

  add(queue: string, dueAt: number): void {
    const list = this.#due.get(queue) ?? [];
    if (list.length === 0) this.#due.set(queue, list);
    list.push(dueAt);
  }

  count(queue: string, now = Date.now()): number {
    const list = this.#due.get(queue);
    if (!list) return 0;
    const pending = list.filter((dueAt) => dueAt > now);
    if (pending.length === 0) this.#due.delete(queue);
    else this.#due.set(queue, pending);
    return pending.length;
  }

  /** Purged or deleted: what was on its way was purged with it. */
  clear(queue: string): void {
    this.#due.delete(queue);
  }
}
