import type { DriverSendResult } from '../driver/driver.js';
import type { PublishOptions } from '../prepare-entries.js';
import type { BatchResult } from '../run-batch.js';
import type { PublishBatchEntry, PublishResult, Topic } from '../topic.js';
import { type MirrorOptions, MirrorWriter } from './mirror-failure.js';
import { type MirrorSides, mirrorSides } from './mirror-sides.js';
import { singleResult } from './single-result.js';

/**
 * A topic published to two transports during a migration's dual-write phase: the primary first
 * (its failure is the caller's), then the secondary. Subscriptions are set up on each side.
 */
export interface MirroredTopic<T = string> extends MirrorSides<Topic<T>> {
  publish(body: T, options?: PublishOptions): Promise<PublishResult>;
  publishBatch(entries: readonly PublishBatchEntry<T>[]): Promise<BatchResult<DriverSendResult>>;
}

export function mirrorTopic<T = string>(
  primary: Topic<T>,
  secondary: Topic<T>,
  options: MirrorOptions<PublishBatchEntry<T>>,
): MirroredTopic<T> {
  const writer = new MirrorWriter<PublishBatchEntry<T>>('publish', options);
  const sides = mirrorSides('topic', primary, secondary, () => writer.counts());
  const publishBatch = async (entries: readonly PublishBatchEntry<T>[]) => {
    const result = await primary.publishBatch(entries);
    return writer.mirror(entries, result, { name: secondary.name }, (accepted) => secondary.publishBatch(accepted));
  };
  return {
    ...sides,
    publishBatch,
    publish: async (body, publishOptions = {}) =>
      singleResult(await publishBatch([{ ...publishOptions, id: 'm', body }])),
  };
}
