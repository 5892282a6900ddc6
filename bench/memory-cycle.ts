import type { Broker } from '@msgport/core';
import type { BenchSettings } from './args.js';
import type { Row } from './measure.js';
import { throughput } from './measure.js';

/** The baseline: a plain in-process array queue doing the same work (send 10, receive 10, delete 10). */
class ArrayQueue {
  #items: { id: number; body: string; visibleAt: number }[] = [];
  #head = 0;
  #inFlight = new Map<number, { id: number; body: string; visibleAt: number }>();
  #next = 0;

  sendBatch(bodies: readonly string[]): void {
    for (const body of bodies) this.#items.push({ id: this.#next++, body, visibleAt: 0 });
  }

  receive(max: number): { id: number; body: string }[] {
    const out: { id: number; body: string }[] = [];
    while (out.length < max && this.#head < this.#items.length) {
      const item = this.#items[this.#head++] as { id: number; body: string; visibleAt: number };
      item.visibleAt = Date.now() + 30_000;
      this.#inFlight.set(item.id, item);
      out.push(item);
    }
    if (this.#head > 4096) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return out;
  }

  deleteBatch(ids: readonly number[]): void {
    for (const id of ids) this.#inFlight.delete(id);
  }
}

/** Full cycle in batches of 10 through the public API: sendBatch → receive(10) → deleteBatch. */
export async function fullCycleRows(broker: Broker, settings: BenchSettings): Promise<Row[]> {
  const body = 'x'.repeat(settings.payloadBytes);
  const batch = Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, body }));
  const queue = await broker.createQueue(`bench-cycle-${Date.now()}`);
  const cycles = Math.ceil(settings.messages / 10);
  const lanes = Math.max(1, settings.concurrency);
  const msgport = await throughput(settings.rounds, cycles * 10, async () => {
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        for (let i = 0; i < cycles / lanes; i++) {
          await queue.sendBatch(batch);
          const received = await queue.receive({ maxMessages: 10, waitTimeSeconds: 0 });
          await queue.deleteBatch(received.map((m, j) => ({ id: `d${j}`, receiptHandle: m.receiptHandle })));
        }
      }),
    );
  });
  const array = new ArrayQueue();
  const bodies = batch.map((entry) => entry.body);
  const baseline = await throughput(settings.rounds, cycles * 10, async () => {
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        for (let i = 0; i < cycles / lanes; i++) {
          array.sendBatch(bodies);
          await Promise.resolve();
          const received = array.receive(10);
          await Promise.resolve();
          array.deleteBatch(received.map((m) => m.id));
          await Promise.resolve();
        }
      }),
    );
  });
  await broker.deleteQueue(queue.name);
  return [
    {
      name: `${broker.transport}: send→receive→delete, batches of 10, ${settings.payloadBytes} B`,
      value: msgport,
      unit: 'msg/s',
      baseline: { name: 'in-process array queue', value: baseline },
    },
  ];
}
