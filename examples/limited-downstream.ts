/**
 * A rate-limited dependency protected by `maximumConcurrency`: the downstream accepts at most
 * `limit` calls at once and fails beyond that; the consumer never exceeds it.
 */
import { type Broker, connect, consume, stopOnSignals } from '@msgport/core';
import '@msgport/memory';

export class LimitedDownstream {
  readonly limit: number;
  active = 0;
  peak = 0;
  calls = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  async call(work: () => Promise<void>): Promise<void> {
    if (this.active >= this.limit)
      throw new Error(`downstream overloaded: ${this.active + 1} > ${this.limit} concurrent calls`);
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    this.calls++;
    try {
      await work();
    } finally {
      this.active--;
    }
  }
}

export async function runLimitedDownstream(broker: Broker, options: { messages: number; limit: number }) {
  const queue = await broker.createQueue('payments-to-gateway', { visibilityTimeoutSeconds: 30 });
  await queue.sendBatch(Array.from({ length: options.messages }, (_, i) => ({ id: `p${i}`, body: `payment-${i}` })));
  const gateway = new LimitedDownstream(options.limit);
  let done = 0;
  const consumer = await consume(
    queue,
    async (event) => {
      for (const _record of event.Records) {
        await gateway.call(() => new Promise((resolve) => setTimeout(resolve, 2)));
        done++;
      }
    },
    { batchSize: 1, maximumConcurrency: options.limit, functionTimeoutSeconds: 5 },
  );
  while (done < options.messages) await new Promise((resolve) => setTimeout(resolve, 10));
  await consumer.stop();
  return { peak: gateway.peak, calls: gateway.calls, metrics: consumer.metrics() };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const broker = await connect(process.env.MSGPORT_URL ?? 'memory://');
  const removeSignalHandlers = stopOnSignals(broker);
  const result = await runLimitedDownstream(broker, { messages: 200, limit: 4 });
  console.log(`processed ${result.calls} payments; peak concurrency ${result.peak} (limit 4)`);
  removeSignalHandlers();
  await broker.close();
}
