import { randomBytes, randomUUID } from 'node:crypto';
import {
  type DriverBatchResult,
  type DriverPublishEntry,
  type DriverSendResult,
  type DriverSubscription,
  fanOut,
  InvalidParameterError,
  LIMITS,
  localTopicArn,
  newSubscriptionArn,
  QueueDoesNotExistError,
  type SubscriptionConfig,
  SubscriptionDoesNotExistError,
  sameTopicConfig,
  type TopicConfig,
  TopicDoesNotExistError,
  topicOfSubscriptionArn,
} from '@msgport/core/driver';
import { type DriverContext, listRegistered, TRANSPORT_NAME } from './context.js';
import { parseTopicConfig, serializeTopicConfig } from './queue-config-codec.js';
import type { EnqueueSpec, RedisQueues } from './queue-ops.js';
import { num, type ScriptArg, type ScriptReply, text } from './script-runner.js';
import { SCRIPTS } from './scripts/index.js';

const options = { transport: TRANSPORT_NAME };
const DEDUP_WINDOW_MS = LIMITS.deduplicationWindowSeconds * 1000;
/** Fan-out targets: the queue's FIFO-ness is in its name; sizes and deleted queues are checked by SEND, atomically. */
const STANDARD_TARGET = { fifo: false } as const;
const FIFO_TARGET = { fifo: true } as const;
const targetOf = (queue: string) => (queue.endsWith('.fifo') ? FIFO_TARGET : STANDARD_TARGET);

function missingTopic(name: string): TopicDoesNotExistError {
  return new TopicDoesNotExistError(`topic "${name}" does not exist`, options);
}

interface StoredSubscription extends DriverSubscription {
  readonly order: number;
}

/** "queue\nraw\nscope\nfilter JSON": what makes two subscriptions of one topic the same. */
function identity(queue: string, config: SubscriptionConfig): string {
  const filter = config.filterPolicy === undefined ? '' : JSON.stringify(config.filterPolicy);
  return `${queue}\n${config.rawMessageDelivery ? 1 : 0}\n${config.filterPolicyScope}\n${filter}`;
}

function parseSubscriptions(topic: string, pairs: ScriptReply): StoredSubscription[] {
  const subscriptions: StoredSubscription[] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const [order = '0', queue = '', raw = '0', scope = 'MessageAttributes', ...filter] = text(pairs[i + 1]).split('\n');
    const filterJson = filter.join('\n');
    subscriptions.push({
      id: text(pairs[i]),
      topic,
      queue,
      rawMessageDelivery: raw === '1',
      filterPolicyScope: scope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes',
      ...(filterJson !== ''
        ? { filterPolicy: JSON.parse(filterJson) as NonNullable<SubscriptionConfig['filterPolicy']> }
        : {}),
      order: Number(order),
    });
  }
  return subscriptions.sort((a, b) => a.order - b.order);
}

/** SNS topics: subscriptions in a hash per topic, fan-out as one atomic SEND per destination queue. */
export class RedisTopics {
  readonly #context: DriverContext;
  readonly #queues: RedisQueues;

  constructor(context: DriverContext, queues: RedisQueues) {
    this.#context = context;
    this.#queues = queues;
  }

  #keys(name: string): string[] {
    return this.#context.keys.topicKeys(name);
  }

  async createTopic(name: string, config: TopicConfig): Promise<void> {
    const { calls, client, keys, scripts } = this.#context;
    await calls.run(() => client.sadd(keys.topicRegistry, name));
    const reply = await scripts.run(SCRIPTS.createTopic, this.#keys(name), [
      serializeTopicConfig(config),
      randomBytes(8).toString('hex'),
      config.fifo ? 1 : 0,
    ]);
    if (text(reply[0]) === 'EXISTS' && !sameTopicConfig(parseTopicConfig(text(reply[1])), config)) {
      throw new InvalidParameterError(`topic "${name}" already exists with different attributes`, options);
    }
  }

  async deleteTopic(name: string): Promise<void> {
    const { calls, client, keys, scripts } = this.#context;
    await scripts.run(SCRIPTS.deleteTopic, this.#keys(name), []);
    await calls.run(() => client.srem(keys.topicRegistry, name));
  }

  async #read(name: string): Promise<{ config: TopicConfig; subscriptions: StoredSubscription[] }> {
    const reply = await this.#context.scripts.run(SCRIPTS.readTopic, this.#keys(name), []);
    if (text(reply[0]) === 'NOTOPIC') throw missingTopic(name);
    return { config: parseTopicConfig(text(reply[1])), subscriptions: parseSubscriptions(name, reply.slice(2)) };
  }

  async getTopic(name: string): Promise<TopicConfig> {
    return (await this.#read(name)).config;
  }

  listTopics(prefix = ''): Promise<string[]> {
    const { keys } = this.#context;
    return listRegistered(this.#context, keys.topicRegistry, prefix, (name) => keys.topicKeys(name)[0] as string);
  }

  async subscribe(topic: string, queue: string, config: SubscriptionConfig): Promise<string> {
    const { calls, client, keys, scripts } = this.#context;
    const exists = (key: string) => calls.run(() => client.exists(key));
    if ((await exists(keys.topicKeys(topic)[0] as string)) === 0) throw missingTopic(topic);
    if ((await exists(keys.queueKey(queue, 'cfg'))) === 0) {
      throw new QueueDoesNotExistError(`queue "${queue}" does not exist`, options);
    }
    const id = newSubscriptionArn(topic);
    const reply = await scripts.run(SCRIPTS.subscribe, this.#keys(topic), [identity(queue, config), queue, id]);
    const status = text(reply[0]);
    if (status === 'NOTOPIC') throw missingTopic(topic);
    if (status === 'CONFLICT') {
      throw new InvalidParameterError(
        `queue "${queue}" is already subscribed to topic "${topic}" with different options; unsubscribe it first`,
        options,
      );
    }
    return text(reply[1]);
  }

  async unsubscribe(subscriptionId: string): Promise<void> {
    const topic = topicOfSubscriptionArn(subscriptionId);
    const reply = topic
      ? await this.#context.scripts.run(SCRIPTS.unsubscribe, this.#keys(topic), [subscriptionId])
      : [];
    if (text(reply[0]) !== 'OK') {
      throw new SubscriptionDoesNotExistError(`subscription "${subscriptionId}" does not exist`, options);
    }
  }

  async listSubscriptions(topic: string): Promise<DriverSubscription[]> {
    return (await this.#read(topic)).subscriptions.map(({ order: _order, ...rest }) => rest);
  }

  /**
   * Publishes: one script reads the subscriptions and numbers FIFO entries; filter policies run
   * here with the core evaluator; each destination queue then gets its copies in one atomic SEND
   * (per queue, so it works across cluster slots); FIFO deduplication ids are recorded last, so a
   * publish that failed half-way can be retried. A failed publish may have reached some queues
   * (SNS is at-least-once too); a resolved one reached every matching subscription.
   */
  async publishBatch(
    topic: string,
    entries: readonly DriverPublishEntry[],
  ): Promise<DriverBatchResult<DriverSendResult>> {
    const { scripts } = this.#context;
    const reply = await scripts.run(SCRIPTS.preparePublish, this.#keys(topic), [
      entries.length,
      ...entries.map((entry) => entry.deduplicationId ?? ''),
    ]);
    if (text(reply[0]) === 'NOTOPIC') throw missingTopic(topic);
    const now = num(reply[1]);
    const config = parseTopicConfig(text(reply[2]));
    const subscriptionStart = 3 + entries.length * 3;
    const subscriptions = parseSubscriptions(topic, reply.slice(subscriptionStart + 1));
    const successful: DriverSendResult[] = [];
    const fresh: { entry: DriverPublishEntry; messageId: string; sequenceNumber: string | undefined }[] = [];
    const inBatch = new Map<string, DriverSendResult>();
    entries.forEach((entry, index) => {
      const dedup = config.fifo ? entry.deduplicationId : undefined;
      const earlier = dedup !== undefined ? inBatch.get(dedup) : undefined;
      if (earlier) {
        // The same deduplication id twice in one batch: the second is a duplicate of the first.
        successful.push({ ...earlier, id: entry.id });
        return;
      }
      const status = text(reply[3 + index * 3]);
      const sequence = text(reply[5 + index * 3]);
      const sequenceNumber = sequence === '' ? undefined : sequence.padStart(20, '0');
      const messageId = status === 'dup' ? text(reply[4 + index * 3]) : randomUUID();
      const result = { id: entry.id, messageId, ...(sequenceNumber !== undefined ? { sequenceNumber } : {}) };
      successful.push(result);
      if (dedup !== undefined) inBatch.set(dedup, result);
      if (status !== 'dup') fresh.push({ entry, messageId, sequenceNumber });
    });
    const deliveries = new Map<string, EnqueueSpec[]>();
    const arn = localTopicArn(topic);
    for (const { entry, messageId, sequenceNumber } of fresh) {
      const publish = {
        messageId,
        topicArn: arn,
        timestamp: now,
        ...(sequenceNumber !== undefined ? { sequenceNumber } : {}),
        target: targetOf,
      };
      for (const delivery of fanOut(entry, subscriptions, publish)) {
        const list = deliveries.get(delivery.queue) ?? [];
        deliveries.set(delivery.queue, list);
        list.push({
          body: delivery.body,
          attributes: delivery.attributes,
          delaySeconds: -1,
          groupId: delivery.groupId,
          deduplicationId: delivery.deduplicationId,
        });
      }
    }
    // A queue deleted since it subscribed gets nothing (enqueue returns undefined), as on SNS.
    await Promise.all([...deliveries].map(([queue, specs]) => this.#queues.enqueue(queue, specs)));
    const commits: ScriptArg[] = [];
    for (const { entry, messageId, sequenceNumber } of fresh) {
      if (config.fifo && entry.deduplicationId !== undefined) {
        commits.push(entry.deduplicationId, messageId, sequenceNumber ?? '');
      }
    }
    if (commits.length > 0)
      await scripts.run(SCRIPTS.commitPublish, this.#keys(topic), [DEDUP_WINDOW_MS, commits.length / 3, ...commits]);
    return { successful, failed: [] };
  }
}
