import {
  type PurgeInProgressError,
  purgeCooldownError,
  QueueAlreadyExistsError,
  type QueueConfig,
  QueueDoesNotExistError,
  sameQueueConfig,
} from '@msgport/core/driver';
import { type ChannelSlot, isNotFound, isPreconditionFailed } from './channel-slot.js';
import { TRANSPORT_NAME } from './connection.js';
import { type ControlLog, untilSettled } from './control-log.js';
import type { QueueEntry } from './registry-state.js';
import { bindToDelays, declareQueue, type Names } from './topology.js';

/**
 * Queue lifecycle. The broker decides whether a queue exists (a passive declare); the registry stream
 * holds its msgport settings, so `getQueue` returns them and `createQueue` is idempotent for the same
 * settings and `QueueAlreadyExists` for different ones, across processes.
 */
export class QueueAdmin {
  readonly #names: Names;
  readonly #slot: ChannelSlot;
  readonly #log: ControlLog;

  constructor(names: Names, slot: ChannelSlot, log: ControlLog) {
    this.#names = names;
    this.#slot = slot;
    this.#log = log;
  }

  /** The queue's registry entry; `QueueDoesNotExist` when the broker or the registry lacks it. */
  async entry(name: string): Promise<QueueEntry> {
    const known = this.#log.state.queues.get(name);
    if (known) return known;
    if ((await this.#slot.checkQueue(this.#names.queue(name))) === undefined) throw missing(name);
    await this.#log.sync();
    const synced = this.#log.state.queues.get(name);
    if (!synced) {
      throw new QueueDoesNotExistError(
        `queue "${name}" exists on the broker but was not created through msgport (it has no msgport settings)`,
        { transport: TRANSPORT_NAME },
      );
    }
    return synced;
  }

  /** Ready messages on the broker, or `QueueDoesNotExist`. */
  async readyCount(name: string): Promise<number> {
    const count = await this.#slot.checkQueue(this.#names.queue(name));
    if (count === undefined) throw missing(name);
    return count;
  }

  async exists(name: string): Promise<boolean> {
    return (await this.#slot.checkQueue(this.#names.queue(name))) !== undefined;
  }

  async create(name: string, config: QueueConfig): Promise<void> {
    await untilSettled(
      () => this.#createStep(name, config),
      () => conflict(name),
    );
  }

  /** One round of `create`: true when settled, false when its record lost to a deletion not yet seen. */
  async #createStep(name: string, config: QueueConfig): Promise<boolean> {
    const brokerQueue = this.#names.queue(name);
    const state = this.#log.state;
    const exists = await this.exists(name);
    let current = state.queues.get(name);
    if (exists) {
      if (!current || !sameQueueConfig(current.config, config)) {
        await this.#log.sync();
        current = state.queues.get(name);
      }
      if (current) {
        if (!sameQueueConfig(current.config, config)) throw conflict(name);
        // Idempotent, and it restores the queue's route out of the delay cascade if it went missing.
        await this.#slot.run((channel) => bindToDelays(channel, brokerQueue));
        return true;
      }
    }
    const createdAt = Date.now();
    try {
      await this.#slot.run((channel) => declareQueue(channel, brokerQueue, config));
    } catch (error) {
      if (isPreconditionFailed(error)) throw conflict(name, error);
      throw error;
    }
    await this.#log.append({ op: 'queue', name, config, createdAt, prev: current?.id ?? null });
    const winner = state.queues.get(name);
    if (!winner) return false;
    if (!sameQueueConfig(winner.config, config)) throw conflict(name);
    return true;
  }

  /** Reads the caught-up registry first: an entry another process replaced must not be the one deleted. */
  async delete(name: string): Promise<void> {
    await this.#log.sync();
    const current = this.#log.state.queues.get(name);
    if (!current) throw missing(name);
    const existed = await this.exists(name);
    if (existed) {
      await this.#slot.run(async (channel) => {
        try {
          await channel.deleteQueue(this.#names.queue(name));
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      });
    }
    await this.#log.append({ op: 'queue-delete', name, prev: current.id });
    if (!existed) throw missing(name);
  }

  async list(prefix = ''): Promise<string[]> {
    await this.#log.sync();
    return [...this.#log.state.queues.keys()].filter((name) => name.startsWith(prefix)).sort();
  }

  /**
   * SQS purge: a compare-and-set `purge` record fixes the cut-off (and makes a second purge within 60 s
   * `PurgeInProgress` in every process); every process then drops its in-flight and buffered messages
   * that entered the queue before it, and the broker drops the ready ones.
   */
  async purge(name: string): Promise<void> {
    await this.entry(name);
    await this.#log.sync();
    const last = this.#log.state.purges.get(name);
    const now = Date.now();
    const cooldown = purgeCooldownError(name, last?.at, now, { transport: TRANSPORT_NAME });
    if (cooldown) throw cooldown;
    const id = await this.#log.append({ op: 'purge', queue: name, at: now, prev: last?.id ?? null });
    if (this.#log.state.purges.get(name)?.id !== id) throw purging(name);
    await this.#slot.run(async (channel) => {
      try {
        await channel.purgeQueue(this.#names.queue(name));
      } catch (error) {
        throw isNotFound(error) ? missing(name) : error;
      }
    });
  }
}

function missing(name: string): QueueDoesNotExistError {
  return new QueueDoesNotExistError(`queue "${name}" does not exist`, { transport: TRANSPORT_NAME });
}

function conflict(name: string, cause?: unknown): QueueAlreadyExistsError {
  return new QueueAlreadyExistsError(`queue "${name}" already exists with different attributes`, {
    transport: TRANSPORT_NAME,
    ...(cause !== undefined ? { cause } : {}),
  });
}

/** Another process purged the queue between our check and our record (compare-and-set lost). */
function purging(name: string): PurgeInProgressError {
  return purgeCooldownError(name, 0, 0, { transport: TRANSPORT_NAME }) as PurgeInProgressError;
}
