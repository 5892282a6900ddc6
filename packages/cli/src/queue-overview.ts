import type { Broker, QueueAttributes } from '@msgport/core';
import { isMsgportError } from '@msgport/core';

/** One row of `msgport stats` and of the console's queue list. */
export interface QueueRow {
  readonly name: string;
  readonly fifo: boolean;
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
  readonly oldestAgeSeconds: number;
  /** The queue's dead-letter queue, if it has one. */
  readonly dlq: string | null;
  /** Visible messages in the dead-letter queue; null without one, or when it is missing. */
  readonly dlqDepth: number | null;
  readonly maxReceiveCount: number | null;
  /** Queues whose dead-letter queue this is. */
  readonly dlqOf: readonly string[];
}

const CONCURRENCY = 8;

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Attributes of every queue under `prefix` (a queue deleted meanwhile is left out), sorted by name. */
export async function queueOverview(broker: Broker, prefix?: string): Promise<QueueRow[]> {
  const names = (await broker.listQueues(prefix)).sort();
  const found = await mapLimited(names, CONCURRENCY, async (name) => {
    try {
      return await broker.queue(name).getAttributes();
    } catch (error) {
      if (isMsgportError(error, 'QueueDoesNotExist')) return undefined;
      throw error;
    }
  });
  const byName = new Map<string, QueueAttributes>();
  for (const attributes of found) if (attributes) byName.set(attributes.name, attributes);
  const missingDlqs = [...byName.values()]
    .map((a) => a.config.deadLetter?.queue)
    .filter((dlq): dlq is string => dlq !== undefined && !byName.has(dlq));
  for (const dlq of new Set(missingDlqs)) {
    const attributes = await broker
      .queue(dlq)
      .getAttributes()
      .catch(() => undefined);
    if (attributes) byName.set(dlq, attributes);
  }
  const sources = new Map<string, string[]>();
  for (const attributes of byName.values()) {
    const dlq = attributes.config.deadLetter?.queue;
    if (dlq !== undefined) sources.set(dlq, [...(sources.get(dlq) ?? []), attributes.name]);
  }
  return names
    .filter((name) => byName.has(name))
    .map((name) => {
      const attributes = byName.get(name) as QueueAttributes;
      const deadLetter = attributes.config.deadLetter;
      return {
        name,
        fifo: attributes.config.fifo,
        visible: attributes.visible,
        inFlight: attributes.inFlight,
        delayed: attributes.delayed,
        oldestAgeSeconds: attributes.oldestMessageAgeSeconds,
        dlq: deadLetter?.queue ?? null,
        dlqDepth: deadLetter ? (byName.get(deadLetter.queue)?.visible ?? null) : null,
        maxReceiveCount: deadLetter?.maxReceiveCount ?? null,
        dlqOf: sources.get(name) ?? [],
      };
    });
}
