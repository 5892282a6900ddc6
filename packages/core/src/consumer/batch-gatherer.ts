import type { Clock } from '../clock.js';
import type { Queue } from '../queue.js';
import type { ReceivedMessage } from '../received-message.js';

// The synchronous Lambda invocation payload limit; the event source mapping invokes before it.
export const LAMBDA_PAYLOAD_BYTES = 6 * 1024 * 1024 - 256 * 1024;

export interface GatherSettings {
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  readonly waitTimeSeconds: number;
  readonly clock: Clock;
}

export interface GatherHooks<T> {
  /** True once the consumer stops: no further receive starts, the batch so far is returned. */
  readonly stopping: () => boolean;
  /** Counts what each receive returned, as it arrives. */
  readonly received: (count: number) => void;
  /** Hands back a partial batch when a later receive fails. */
  readonly release: (messages: readonly ReceivedMessage<T>[]) => Promise<void>;
}

/**
 * One batch gathered over a batching window: receives (up to 10 each) until the batch is full,
 * the 6 MB payload limit is near, or the window closes — as the event source mapping does for
 * `batchSize` above 10 or a `maximumBatchingWindowSeconds`.
 */
export async function gatherBatch<T>(
  queue: Queue<T>,
  settings: GatherSettings,
  signal: AbortSignal | undefined,
  hooks: GatherHooks<T>,
): Promise<ReceivedMessage<T>[]> {
  const { batchSize, maximumBatchingWindowSeconds, waitTimeSeconds, clock } = settings;
  const deadline = clock.now() + maximumBatchingWindowSeconds * 1000;
  const batch: ReceivedMessage<T>[] = [];
  let bytes = 0;
  while (batch.length < batchSize && bytes < LAMBDA_PAYLOAD_BYTES) {
    const remainingMs = deadline - clock.now();
    if (remainingMs <= 0 && batch.length > 0) break;
    const wait = remainingMs <= 0 ? waitTimeSeconds : Math.min(waitTimeSeconds, Math.ceil(remainingMs / 1000));
    let received: ReceivedMessage<T>[];
    try {
      const maxMessages = Math.min(10, batchSize - batch.length);
      received = await queue.receive(
        signal ? { maxMessages, waitTimeSeconds: wait, signal } : { maxMessages, waitTimeSeconds: wait },
      );
    } catch (error) {
      // Stopping cut the receive short: what was gathered is handled like any other batch.
      if (hooks.stopping() && batch.length > 0) return batch;
      if (batch.length > 0) await hooks.release(batch);
      throw error;
    }
    hooks.received(received.length);
    for (const message of received) {
      bytes += Buffer.byteLength(message.rawBody);
      batch.push(message);
    }
    if (hooks.stopping() || (received.length === 0 && remainingMs <= 0)) break;
  }
  return batch;
}
