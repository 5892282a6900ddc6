import type {
  CreateQueueOptions,
  CreateTopicOptions,
  Queue,
  QueueHandleOptions,
  SendOptions,
  Topic,
  TopicHandleOptions,
} from '@msgport/core';
import type { QueueKind } from '../harness.js';
import type { CaseContext } from './context.js';
import { shortId, uniqueName } from './names.js';

export type QueueOptions<T> = CreateQueueOptions & QueueHandleOptions<T>;

/**
 * A new queue of the run's kind (`queueKind`). FIFO queues of the general cases get content-based
 * deduplication, so sends need no deduplication id; the cases keep their bodies unique.
 */
export function newQueue<T = string>(ctx: CaseContext, tag: string, options: QueueOptions<T> = {}): Promise<Queue<T>> {
  const defaults: CreateQueueOptions = ctx.fifoRun ? { contentBasedDeduplication: true } : {};
  return newQueueOfKind(ctx, ctx.queueKind, tag, { ...defaults, ...options });
}

/** A new queue of an explicit kind (FIFO queues are asked for with `fifo: true`), with the given options. */
export async function newQueueOfKind<T = string>(
  ctx: CaseContext,
  kind: QueueKind,
  tag: string,
  options: QueueOptions<T> = {},
): Promise<Queue<T>> {
  const name = uniqueName(tag, kind);
  const queue = await ctx.broker.createQueue<T>(name, kind === 'fifo' ? { fifo: true, ...options } : options);
  ctx.track('queue', name);
  return queue;
}

export async function newTopic<T = string>(
  ctx: CaseContext,
  tag: string,
  options: CreateTopicOptions & TopicHandleOptions<T> & { readonly fifo?: boolean } = {},
): Promise<Topic<T>> {
  const name = uniqueName(tag, options.fifo ? 'fifo' : 'standard');
  const topic = await ctx.broker.createTopic<T>(name, options);
  ctx.track('topic', name);
  return topic;
}

/**
 * Send options for `queue`: on a FIFO queue a `groupId` is added — `group` when given, otherwise a
 * fresh group per message, so messages are delivered in parallel as on a standard queue.
 */
export function sendOptions(queue: { readonly fifo: boolean }, options: SendOptions = {}, group?: string): SendOptions {
  if (!queue.fifo || options.groupId !== undefined) return options;
  return { ...options, groupId: group ?? `g-${shortId()}` };
}
