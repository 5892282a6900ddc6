import type { QueueConfig, TopicConfig } from '@msgport/core/driver';

/** Canonical JSON of a queue config (fixed key order), as stored in the queue's cfg hash. */
export function serializeQueueConfig(config: QueueConfig): string {
  return JSON.stringify({
    fifo: config.fifo,
    visibilityTimeoutSeconds: config.visibilityTimeoutSeconds,
    delaySeconds: config.delaySeconds,
    retentionSeconds: config.retentionSeconds,
    maxMessageBytes: config.maxMessageBytes,
    receiveWaitTimeSeconds: config.receiveWaitTimeSeconds,
    ...(config.deadLetter
      ? { deadLetter: { queue: config.deadLetter.queue, maxReceiveCount: config.deadLetter.maxReceiveCount } }
      : {}),
    contentBasedDeduplication: config.contentBasedDeduplication,
    deduplicationScope: config.deduplicationScope,
    ...(config.fifoThroughputLimit !== undefined ? { fifoThroughputLimit: config.fifoThroughputLimit } : {}),
  });
}

/** A config stored before `fifoThroughputLimit` existed reads as the default, `perQueue`. */
export function parseQueueConfig(json: string): QueueConfig {
  return { fifoThroughputLimit: 'perQueue', ...(JSON.parse(json) as QueueConfig) };
}

export function serializeTopicConfig(config: TopicConfig): string {
  return JSON.stringify({ fifo: config.fifo, contentBasedDeduplication: config.contentBasedDeduplication });
}

export function parseTopicConfig(json: string): TopicConfig {
  return JSON.parse(json) as TopicConfig;
}
