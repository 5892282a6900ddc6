import type { Clock } from '@msgport/core/driver';
import type { MemoryQueue } from './memory-queue.js';
import type { MemoryTopic } from './memory-topic.js';

/** The state behind one `memory://` namespace; several drivers may share it. */
export interface MemoryStore {
  readonly clock: Clock;
  readonly queues: Map<string, MemoryQueue>;
  readonly topics: Map<string, MemoryTopic>;
}

export function createMemoryStore(clock: Clock): MemoryStore {
  return { clock, queues: new Map(), topics: new Map() };
}
