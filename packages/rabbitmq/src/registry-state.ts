import type { DriverSubscription, QueueConfig, TopicConfig } from '@msgport/core/driver';

/**
 * The registry: queue and topic settings, subscriptions and purge times, rebuilt by every process from
 * the control stream. Creations and purges are compare-and-set records (`prev` names the state they
 * replace), so when two processes race, the stream's order picks one winner and both see the same one.
 */
export interface QueueEntry {
  readonly id: string;
  readonly name: string;
  readonly config: QueueConfig;
  readonly createdAt: number;
}

export interface TopicEntry {
  readonly id: string;
  readonly name: string;
  readonly config: TopicConfig;
}

export interface PurgeEntry {
  readonly id: string;
  readonly queue: string;
  readonly at: number;
}

export type ControlRecord =
  | { op: 'queue'; id: string; name: string; config: QueueConfig; createdAt: number; prev: string | null }
  | { op: 'queue-delete'; id: string; name: string; prev: string }
  | { op: 'topic'; id: string; name: string; config: TopicConfig; prev: string | null }
  | { op: 'topic-delete'; id: string; name: string; prev: string }
  | { op: 'subscribe'; id: string; subscription: DriverSubscription }
  | { op: 'unsubscribe'; id: string; subscriptionId: string }
  | { op: 'purge'; id: string; queue: string; at: number; prev: string | null }
  | { op: 'sync'; id: string };

/** What applying a record changed, for the parts of the driver that hold messages. */
export type RegistryChange =
  | { kind: 'purged'; queue: string; at: number }
  | { kind: 'queue-deleted'; queue: string }
  | { kind: 'queue-created'; queue: string }
  | { kind: 'none' };

const NONE: RegistryChange = { kind: 'none' };

export class RegistryState {
  readonly queues = new Map<string, QueueEntry>();
  readonly topics = new Map<string, TopicEntry>();
  readonly subscriptions = new Map<string, DriverSubscription>();
  readonly purges = new Map<string, PurgeEntry>();

  apply(record: ControlRecord): RegistryChange {
    switch (record.op) {
      case 'queue': {
        if ((this.queues.get(record.name)?.id ?? null) !== record.prev) return NONE;
        this.queues.set(record.name, {
          id: record.id,
          name: record.name,
          config: record.config,
          createdAt: record.createdAt,
        });
        this.purges.delete(record.name);
        return { kind: 'queue-created', queue: record.name };
      }
      case 'queue-delete': {
        if (this.queues.get(record.name)?.id !== record.prev) return NONE;
        this.queues.delete(record.name);
        this.purges.delete(record.name);
        return { kind: 'queue-deleted', queue: record.name };
      }
      case 'topic': {
        if ((this.topics.get(record.name)?.id ?? null) !== record.prev) return NONE;
        this.topics.set(record.name, { id: record.id, name: record.name, config: record.config });
        if (record.prev !== null) this.#dropSubscriptions(record.name);
        return NONE;
      }
      case 'topic-delete': {
        if (this.topics.get(record.name)?.id !== record.prev) return NONE;
        this.topics.delete(record.name);
        this.#dropSubscriptions(record.name);
        return NONE;
      }
      case 'subscribe': {
        if (this.topics.has(record.subscription.topic)) {
          this.subscriptions.set(record.subscription.id, record.subscription);
        }
        return NONE;
      }
      case 'unsubscribe': {
        this.subscriptions.delete(record.subscriptionId);
        return NONE;
      }
      case 'purge': {
        if (!this.queues.has(record.queue)) return NONE;
        if ((this.purges.get(record.queue)?.id ?? null) !== record.prev) return NONE;
        this.purges.set(record.queue, { id: record.id, queue: record.queue, at: record.at });
        return { kind: 'purged', queue: record.queue, at: record.at };
      }
      case 'sync':
        return NONE;
    }
  }

  /** Forgets everything (the stream was removed; whatever it held is gone). */
  clear(): void {
    this.queues.clear();
    this.topics.clear();
    this.subscriptions.clear();
    this.purges.clear();
  }

  subscriptionsOf(topic: string): DriverSubscription[] {
    return [...this.subscriptions.values()].filter((subscription) => subscription.topic === topic);
  }

  /** Messages that entered the queue before this time were purged. */
  purgedBefore(queue: string): number {
    return this.purges.get(queue)?.at ?? Number.NEGATIVE_INFINITY;
  }

  #dropSubscriptions(topic: string): void {
    for (const [id, subscription] of this.subscriptions) {
      if (subscription.topic === topic) this.subscriptions.delete(id);
    }
  }
}

const OPS = new Set(['queue', 'queue-delete', 'topic', 'topic-delete', 'subscribe', 'unsubscribe', 'purge', 'sync']);

/** Parses one stream record; anything malformed (or from a newer version) is ignored. */
export function parseRecord(text: string): ControlRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON: not a record this version wrote; skipped like any malformed record.
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.op !== 'string' || !OPS.has(record.op) || typeof record.id !== 'string') return undefined;
  const prevOk = (nullable: boolean) =>
    typeof record.prev === 'string' || (nullable && (record.prev === null || record.prev === undefined));
  switch (record.op) {
    case 'queue':
      return typeof record.name === 'string' &&
        isObject(record.config) &&
        typeof record.createdAt === 'number' &&
        prevOk(true)
        ? ({ ...record, prev: record.prev ?? null } as ControlRecord)
        : undefined;
    case 'topic':
      return typeof record.name === 'string' && isObject(record.config) && prevOk(true)
        ? ({ ...record, prev: record.prev ?? null } as ControlRecord)
        : undefined;
    case 'queue-delete':
    case 'topic-delete':
      return typeof record.name === 'string' && prevOk(false) ? (record as ControlRecord) : undefined;
    case 'subscribe': {
      const subscription = record.subscription as Record<string, unknown> | undefined;
      return isObject(subscription) &&
        typeof subscription.id === 'string' &&
        typeof subscription.topic === 'string' &&
        typeof subscription.queue === 'string'
        ? (record as ControlRecord)
        : undefined;
    }
    case 'unsubscribe':
      return typeof record.subscriptionId === 'string' ? (record as ControlRecord) : undefined;
    case 'purge':
      return typeof record.queue === 'string' && typeof record.at === 'number' && prevOk(true)
        ? ({ ...record, prev: record.prev ?? null } as ControlRecord)
        : undefined;
    default:
      return record as ControlRecord;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}
