import type { Message } from 'amqplib';
import type { QueueChannel } from './queue-channel.js';
import type { QueueFeeds } from './queue-feeds.js';

/** What `pollUnlessFed` answers when the queue's feed started first: the receive goes on from it. */
export const FED = Symbol('fed');

/**
 * A long poll of `channel` that ends as soon as the queue's feed starts. The feed's consumer takes
 * the ready messages (up to its prefetch) into its buffer, so the poll would wait out its time for
 * messages that only the feed can hand out now.
 */
export async function pollUnlessFed(
  channel: QueueChannel,
  feeds: QueueFeeds,
  queue: string,
  waitMs: number,
  signal: AbortSignal,
): Promise<Message[] | typeof FED> {
  const poll = new AbortController();
  let fed = false;
  const forwardAbort = () => poll.abort(signal.reason);
  signal.addEventListener('abort', forwardAbort, { once: true });
  const unsubscribe = feeds.onceRunning(queue, () => {
    fed = true;
    poll.abort(new Error('the queue feed started'));
  });
  if (signal.aborted) forwardAbort();
  try {
    return await channel.poll(waitMs, poll.signal);
  } catch (error) {
    if (fed && !signal.aborted) return FED;
    throw error;
  } finally {
    unsubscribe();
    signal.removeEventListener('abort', forwardAbort);
  }
}
