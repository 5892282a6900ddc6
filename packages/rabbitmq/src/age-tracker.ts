const PER_QUEUE_LIMIT = 10_000;

/**
 * ApproximateAgeOfOldestMessage without a broker that can tell: RabbitMQ cannot peek at a queue's head
 * without a delivery (which would count as a receive), so each process remembers the SentTimestamp of
 * the messages it sent, moved or holds until it sees them deleted, dropped or the queue empty. Exact
 * for one process; messages another process sent are seen once received here.
 */
export class AgeTracker {
  readonly #queues = new Map<string, Map<string, number>>();

  add(queue: string, messageId: string, sentAt: number): void {
    let messages = this.#queues.get(queue);
    if (!messages) {
      messages = new Map();
      this.#queues.set(queue, messages);
    }
    // Past the limit the oldest entries are the ones that matter, and they are already here.
    if (messages.size < PER_QUEUE_LIMIT || messages.has(messageId)) messages.set(messageId, sentAt);
  }

  remove(queue: string, messageId: string): void {
    const messages = this.#queues.get(queue);
    if (!messages) return;
    messages.delete(messageId);
    if (messages.size === 0) this.#queues.delete(queue);
  }

  /** Forgets messages of `queue` sent before `before` (default: all). */
  clear(queue: string, before = Number.POSITIVE_INFINITY): void {
    const messages = this.#queues.get(queue);
    if (!messages) return;
    for (const [messageId, sentAt] of messages) if (sentAt < before) messages.delete(messageId);
    if (messages.size === 0) this.#queues.delete(queue);
  }

  oldest(queue: string): number | undefined {
    let oldest: number | undefined;
    for (const sentAt of this.#queues.get(queue)?.values() ?? []) oldest = Math.min(oldest ?? sentAt, sentAt);
    return oldest;
  }
}
