/**
 * Asks SNS itself (here: fauxqs) whether each pair's message passes the pair's filter policy: one
 * topic and one raw-delivery subscription per distinct policy, every message of that policy
 * published to it, then the subscribed queue is drained. Attribute-scope messages are identified by
 * their body, body-scope messages by an extra attribute (which body filtering ignores).
 */
import type { Broker, MessageAttributes } from '@msgport/core';
import type { FilterPair } from './filter-generator.js';

const PAIR_ATTRIBUTE = 'msgport_pair';

export interface PublishedPair {
  readonly body: string;
  readonly attributes: MessageAttributes;
}

/** What is actually published for pair `index` (core evaluates exactly this, too). */
export function publishedMessage(pair: FilterPair, index: number): PublishedPair {
  if (pair.scope === 'MessageAttributes') return { body: `pair-${index}`, attributes: pair.attributes };
  return {
    body: pair.body ?? '{}',
    attributes: { [PAIR_ATTRIBUTE]: { dataType: 'String', stringValue: String(index) } },
  };
}

async function runGroup(
  broker: Broker,
  name: string,
  members: readonly { pair: FilterPair; index: number }[],
  delivered: boolean[],
): Promise<void> {
  const first = members[0]?.pair;
  if (!first) return;
  const topic = await broker.createTopic(`${name}-t`);
  const queue = await broker.createQueue(`${name}-q`);
  try {
    await topic.subscribe(queue, {
      rawMessageDelivery: true,
      filterPolicy: first.policy,
      filterPolicyScope: first.scope,
    });
    for (let start = 0; start < members.length; start += 10) {
      const chunk = members.slice(start, start + 10);
      const result = await topic.publishBatch(
        chunk.map(({ pair, index }) => ({ id: `p${index}`, ...publishedMessage(pair, index) })),
      );
      if (result.failed.length > 0) throw new Error(`publish failed: ${JSON.stringify(result.failed)}`);
    }
    for (;;) {
      const batch = await queue.receive({ maxMessages: 10, waitTimeSeconds: 0 });
      if (batch.length === 0) break;
      for (const message of batch) {
        const index =
          first.scope === 'MessageAttributes'
            ? Number(message.body.slice('pair-'.length))
            : Number(message.attributes[PAIR_ATTRIBUTE]?.stringValue);
        delivered[index] = true;
      }
      await queue.deleteBatch(batch.map((message, i) => ({ id: `d${i}`, receiptHandle: message.receiptHandle })));
    }
  } finally {
    await Promise.allSettled([broker.deleteTopic(topic.name), broker.deleteQueue(queue.name)]);
  }
}

/** Native outcome per pair (same order as `pairs`), `concurrency` policies at a time. */
export async function nativeOutcomes(
  broker: Broker,
  pairs: readonly FilterPair[],
  prefix: string,
  concurrency = 8,
): Promise<boolean[]> {
  const groups = new Map<string, { pair: FilterPair; index: number }[]>();
  pairs.forEach((pair, index) => {
    const key = `${pair.scope}\u0000${JSON.stringify(pair.policy)}`;
    const group = groups.get(key) ?? [];
    group.push({ pair, index });
    groups.set(key, group);
  });
  const delivered = pairs.map(() => false);
  const queue = [...groups.values()].map((members, n) => ({ members, name: `${prefix}-${n}` }));
  const workers = Array.from({ length: concurrency }, async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await runGroup(broker, job.name, job.members, delivered);
  });
  await Promise.all(workers);
  return delivered;
}
