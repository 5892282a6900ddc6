import {
  type DriverSubscription,
  InvalidParameterError,
  newSubscriptionArn,
  type SubscriptionConfig,
  SubscriptionDoesNotExistError,
  sameTopicConfig,
  type TopicConfig,
  TopicDoesNotExistError,
} from '@msgport/core/driver';
import { type ChannelSlot, isNotFound } from './channel-slot.js';
import { TRANSPORT_NAME } from './connection.js';
import { type ControlLog, untilSettled } from './control-log.js';
import type { QueueAdmin } from './queue-admin.js';
import type { TopicEntry } from './registry-state.js';
import { subscriptionMarker } from './topic-publisher.js';
import type { Names } from './topology.js';

/**
 * Topics and subscriptions. A topic is a durable headers exchange; a subscription is a binding of the
 * queue to it on the subscription's marker header (`x-match: any`) plus a registry record with the
 * delivery format and filter policy, which every publishing process reads.
 */
export class TopicAdmin {
  readonly #names: Names;
  readonly #slot: ChannelSlot;
  readonly #log: ControlLog;
  readonly #queues: QueueAdmin;

  constructor(names: Names, slot: ChannelSlot, log: ControlLog, queues: QueueAdmin) {
    this.#names = names;
    this.#slot = slot;
    this.#log = log;
    this.#queues = queues;
  }

  async entry(name: string): Promise<TopicEntry> {
    const known = this.#log.state.topics.get(name) ?? (await this.#synced(() => this.#log.state.topics.get(name)));
    if (!known) throw new TopicDoesNotExistError(`topic "${name}" does not exist`, { transport: TRANSPORT_NAME });
    return known;
  }

  async create(name: string, config: TopicConfig): Promise<void> {
    await untilSettled(
      () => this.#createStep(name, config),
      () => conflict(name),
    );
  }

  /** One round of `create`: true when settled, false when its record lost to a deletion not yet seen. */
  async #createStep(name: string, config: TopicConfig): Promise<boolean> {
    const state = this.#log.state;
    const exchange = this.#names.topicExchange(name);
    let current = state.topics.get(name);
    if (!current || !sameTopicConfig(current.config, config)) {
      await this.#log.sync();
      current = state.topics.get(name);
    }
    if (current && (await this.#slot.checkExchange(exchange))) {
      if (sameTopicConfig(current.config, config)) return true;
      throw conflict(name);
    }
    await this.#slot.run((channel) => channel.assertExchange(exchange, 'headers', { durable: true }));
    await this.#log.append({ op: 'topic', name, config, prev: current?.id ?? null });
    const winner = state.topics.get(name);
    if (!winner) return false;
    if (!sameTopicConfig(winner.config, config)) throw conflict(name);
    return true;
  }

  /** Reads the caught-up registry first: an entry another process replaced must not be the one deleted. */
  async delete(name: string): Promise<void> {
    const current = await this.#synced(() => this.#log.state.topics.get(name));
    await this.#slot.run(async (channel) => {
      try {
        await channel.deleteExchange(this.#names.topicExchange(name));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    });
    if (current) await this.#log.append({ op: 'topic-delete', name, prev: current.id });
  }

  async list(prefix = ''): Promise<string[]> {
    await this.#log.sync();
    return [...this.#log.state.topics.keys()].filter((name) => name.startsWith(prefix)).sort();
  }

  async subscribe(topic: string, queue: string, config: SubscriptionConfig): Promise<string> {
    await this.entry(topic);
    await this.#queues.entry(queue);
    const existing = this.#log.state.subscriptionsOf(topic).filter((subscription) => subscription.queue === queue);
    const same = existing.find((subscription) => sameSubscription(subscription, queue, config));
    if (same) return same.id;
    if (existing.length > 0) {
      throw new InvalidParameterError(
        `queue "${queue}" is already subscribed to topic "${topic}" with different options; unsubscribe it first`,
        { transport: TRANSPORT_NAME },
      );
    }
    const id = newSubscriptionArn(topic);
    await this.#slot.run(async (channel) => {
      try {
        await channel.bindQueue(this.#names.queue(queue), this.#names.topicExchange(topic), '', {
          'x-match': 'any',
          [subscriptionMarker(id)]: '1',
        });
      } catch (error) {
        if (!isNotFound(error)) throw error;
        throw new TopicDoesNotExistError(`topic "${topic}" or queue "${queue}" does not exist`, {
          cause: error,
          transport: TRANSPORT_NAME,
        });
      }
    });
    await this.#log.append({ op: 'subscribe', subscription: { id, topic, queue, ...config } });
    return id;
  }

  async unsubscribe(subscriptionId: string): Promise<void> {
    const subscription =
      this.#log.state.subscriptions.get(subscriptionId) ??
      (await this.#synced(() => this.#log.state.subscriptions.get(subscriptionId)));
    if (!subscription) {
      throw new SubscriptionDoesNotExistError(`subscription "${subscriptionId}" does not exist`, {
        transport: TRANSPORT_NAME,
      });
    }
    await this.#slot.run(async (channel) => {
      try {
        await channel.unbindQueue(
          this.#names.queue(subscription.queue),
          this.#names.topicExchange(subscription.topic),
          '',
          { 'x-match': 'any', [subscriptionMarker(subscription.id)]: '1' },
        );
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    });
    await this.#log.append({ op: 'unsubscribe', subscriptionId });
  }

  async listSubscriptions(topic: string): Promise<DriverSubscription[]> {
    await this.entry(topic);
    await this.#log.sync();
    return this.#log.state.subscriptionsOf(topic);
  }

  async #synced<T>(read: () => T | undefined): Promise<T | undefined> {
    await this.#log.sync();
    return read();
  }
}

function sameSubscription(subscription: DriverSubscription, queue: string, config: SubscriptionConfig): boolean {
  return (
    subscription.queue === queue &&
    subscription.rawMessageDelivery === config.rawMessageDelivery &&
    subscription.filterPolicyScope === config.filterPolicyScope &&
    JSON.stringify(subscription.filterPolicy) === JSON.stringify(config.filterPolicy)
  );
}

function conflict(name: string): InvalidParameterError {
  return new InvalidParameterError(`topic "${name}" already exists with different attributes`, {
    transport: TRANSPORT_NAME,
  });
}
