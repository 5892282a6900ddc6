import { setMaxListeners } from 'node:events';
import type { Broker } from '@msgport/core';
import type { Pipeline } from '../end-to-end.js';

/**
 * msgport at a given concurrency: `concurrency` workers, each a loop of receive (up to 10, long poll
 * of 1 s) → no-op handler → deleteBatch through the public queue API. (`consume()` starts at five
 * pollers and scales up over time, which rounds of a second would measure instead of the transport.)
 */
export async function msgportLoops(broker: Broker, name: string, concurrency: number): Promise<Pipeline> {
  const queue = await broker.createQueue(name, { visibilityTimeoutSeconds: 60 });
  const stopped = new AbortController();
  // Every worker's long poll listens on the one stop signal.
  setMaxListeners(concurrency + 10, stopped.signal);
  return {
    async start(processed) {
      const loops = Array.from({ length: concurrency }, async () => {
        while (!stopped.signal.aborted) {
          const messages = await queue
            .receive({ maxMessages: 10, waitTimeSeconds: 1, signal: stopped.signal })
            .catch((error: unknown) => {
              if (stopped.signal.aborted) return [];
              throw error;
            });
          if (messages.length === 0) continue;
          await queue.deleteBatch(messages.map((m, i) => ({ id: `d${i}`, receiptHandle: m.receiptHandle })));
          processed(messages.length);
        }
      });
      return async () => {
        stopped.abort();
        await Promise.all(loops);
      };
    },
    async produce(bodies) {
      await queue.sendBatch(bodies.map((body, i) => ({ id: `m${i}`, body })));
    },
    cleanup: () => broker.deleteQueue(name),
  };
}
