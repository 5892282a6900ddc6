import type { Queue, ReceivedMessage, SubscribeOptions, Subscription, Topic } from '@msgport/core';
import { expect } from 'vitest';
import type { QueueKind, SubscriptionKind } from '../harness.js';
import { plainAttributes, sorted } from './compare.js';
import type { CaseContext, Gate } from './context.js';
import { needs } from './gates.js';
import { expectQuiet, receiveExactly } from './receive.js';
import { newQueueOfKind, type QueueOptions } from './resources.js';

export interface Subscribed<T> {
  /** The subscribed queue as created. */
  readonly queue: Queue<T>;
  /** How the consumer reads it: unwrapping the SNS envelope for envelope subscriptions. */
  readonly reader: Queue<T>;
  readonly subscription: Subscription;
}

export const view = (m: ReceivedMessage<string>) => ({ body: m.body, attributes: plainAttributes(m.attributes) });
export const byBody = (a: { body: string }, b: { body: string }) => a.body.localeCompare(b.body);

/** What the topic cases share: gates per subscription kind, subscribing a new queue, reading it back. */
export function topicHelpers(ctx: CaseContext) {
  const topics = needs(ctx, 'topics');

  const kindGates = (kind: SubscriptionKind): Gate[] => [
    topics,
    ...(kind === 'raw' ? [needs(ctx, 'rawDelivery')] : []),
  ];

  async function subscribeQueue<T = string>(
    topic: Topic<T>,
    kind: SubscriptionKind,
    tag: string,
    options: Omit<SubscribeOptions, 'rawMessageDelivery'> = {},
    queueOptions: QueueOptions<T> = {},
    queueKind: QueueKind = 'standard',
  ): Promise<Subscribed<T>> {
    const queue = await newQueueOfKind<T>(ctx, queueKind, tag, queueOptions);
    const subscription = await topic.subscribe(queue.name, { ...options, rawMessageDelivery: kind === 'raw' });
    expect(subscription).toMatchObject({ topic: topic.name, queue: queue.name, rawMessageDelivery: kind === 'raw' });
    const reader =
      kind === 'envelope'
        ? ctx.broker.queue<T>(queue.name, {
            unwrapEnvelopes: true,
            ...(queueOptions.codec ? { codec: queueOptions.codec } : {}),
          })
        : queue;
    return { queue, reader, subscription };
  }

  /** The reader gets exactly `bodies` (as a set), each delivered once: nothing more after a quiet window. */
  async function expectBodies(kind: SubscriptionKind, reader: Queue<string>, bodies: readonly string[]) {
    const got = await receiveExactly(ctx, reader, bodies.length);
    expect(sorted(got.map((m) => m.body)), `bodies in ${reader.name}`).toEqual(sorted(bodies));
    for (const m of got) {
      if (kind === 'envelope') expect(m.snsEnvelope?.Type).toBe('Notification');
      else expect(m.snsEnvelope).toBeUndefined();
      await reader.delete(m);
    }
    await expectQuiet(ctx, reader);
  }

  return { topics, kindGates, subscribeQueue, expectBodies };
}

export type TopicHelpers = ReturnType<typeof topicHelpers>;
