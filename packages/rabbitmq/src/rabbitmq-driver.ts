import type {
  Capabilities,
  Driver,
  DriverBatchResult,
  DriverEntryResult,
  DriverMessage,
  DriverPublishEntry,
  DriverQueueInfo,
  DriverReceiptEntry,
  DriverReceiveRequest,
  DriverSendEntry,
  DriverSendResult,
  DriverSubscription,
  DriverVisibilityEntry,
  ErrorCode,
  QueueConfig,
  SubscriptionConfig,
  TopicConfig,
} from '@msgport/core/driver';
import { type BrokerUrl, eachEntry } from '@msgport/core/driver';
import type { ChannelModel } from 'amqplib';
import { AgeTracker } from './age-tracker.js';
import { rabbitmqCapabilities } from './capabilities.js';
import { ChannelSlot } from './channel-slot.js';
import { classifyRabbitError } from './classify-error.js';
import { ConnectionManager, TRANSPORT_NAME } from './connection.js';
import { ConsumerPool } from './consumer-pool.js';
import { ControlLog } from './control-log.js';
import { DelayedCounter } from './delay-cascade.js';
import { type DeliveryOwner, DeliveryTracker } from './delivery-tracker.js';
import { Publisher } from './publisher.js';
import { QueueAdmin } from './queue-admin.js';
import { Receiver } from './receiver.js';
import type { RegistryChange } from './registry-state.js';
import { Sender } from './sender.js';
import { SequenceSource } from './sequence.js';
import { TopicAdmin } from './topic-admin.js';
import { TopicPublisher } from './topic-publisher.js';
import { ensureDelayCascade, Names } from './topology.js';
import { type RabbitMQSettings, type ResolvedSettings, resolveSettings } from './url.js';

export { TRANSPORT_NAME } from './connection.js';

/**
 * The RabbitMQ driver: SQS queues on quorum queues and SNS topics on headers exchanges, with a
 * registry stream for settings (see docs/transports/rabbitmq.md for the whole mapping).
 */
export class RabbitMQDriver implements Driver {
  readonly transport = TRANSPORT_NAME;
  readonly capabilities: Capabilities = rabbitmqCapabilities;
  readonly settings: ResolvedSettings;
  readonly names: Names;
  readonly #connection: ConnectionManager;
  readonly #slot: ChannelSlot;
  readonly #publisher: Publisher;
  readonly #topicChannel: Publisher;
  readonly #log: ControlLog;
  readonly #tracker = new DeliveryTracker();
  readonly #pool: ConsumerPool;
  readonly #delayed = new DelayedCounter();
  readonly #sequence = new SequenceSource();
  readonly #ages = new AgeTracker();
  readonly #closing = new AbortController();
  readonly #queues: QueueAdmin;
  readonly #topics: TopicAdmin;
  readonly #sender: Sender;
  readonly #receiver: Receiver;
  readonly #topicPublisher: TopicPublisher;

  /** Connects, declares the shared delay cascade and catches up with the registry. */
  static async open(url: string | URL | BrokerUrl, options: RabbitMQSettings = {}): Promise<RabbitMQDriver> {
    const driver = new RabbitMQDriver(resolveSettings(url, options));
    await driver.#connection.start();
    return driver;
  }

  private constructor(settings: ResolvedSettings) {
    this.settings = settings;
    this.names = new Names(settings.namespace);
    this.#connection = new ConnectionManager({
      endpoint: settings.endpoint,
      recoveryTimeoutMs: settings.recoveryTimeoutMs,
      connectTimeoutMs: settings.connectTimeoutMs,
      connectionName: `msgport ${this.#tracker.instance}`,
      ...(settings.logger ? { logger: settings.logger } : {}),
    });
    this.#slot = new ChannelSlot(this.#connection);
    const confirmTimeoutMs = Math.max(30_000, settings.recoveryTimeoutMs);
    this.#publisher = new Publisher(this.#connection, confirmTimeoutMs);
    // Topic publishes get their own channel: publishing to a just-deleted topic exchange closes it.
    this.#topicChannel = new Publisher(this.#connection, confirmTimeoutMs);
    this.#log = new ControlLog(this.#connection, this.names, settings.recoveryTimeoutMs);
    this.#pool = new ConsumerPool(this.#connection, this.#tracker);
    this.#queues = new QueueAdmin(this.names, this.#slot, this.#log);
    this.#topics = new TopicAdmin(this.names, this.#slot, this.#log, this.#queues);
    this.#sender = new Sender(this.#publisher, this.#delayed, this.#sequence, this.#ages);
    this.#topicPublisher = new TopicPublisher(
      this.#topicChannel,
      this.names,
      this.#log.state,
      this.#delayed,
      this.#sequence,
      this.#ages,
    );
    this.#receiver = new Receiver({
      connection: this.#connection,
      names: this.names,
      state: this.#log.state,
      tracker: this.#tracker,
      pool: this.#pool,
      publisher: this.#publisher,
      sequence: this.#sequence,
      ages: this.#ages,
      fifoPrefetch: settings.fifoPrefetch,
      closing: this.#closing.signal,
    });
    this.#connection.onSetup(async (link) => {
      await ensureDelayCascade(link, this.#connection.logger);
      await this.#log.attach(link);
    });
    this.#log.onChange((change) => this.#onRegistryChange(change));
  }

  /** `major.minor.patch` of the connected broker. */
  get serverVersion(): string {
    return this.#connection.serverVersion;
  }

  createQueue(name: string, config: QueueConfig): Promise<void> {
    return this.#queues.create(name, config);
  }

  deleteQueue(name: string): Promise<void> {
    return this.#queues.delete(name);
  }

  listQueues(prefix?: string): Promise<string[]> {
    return this.#queues.list(prefix);
  }

  async getQueue(name: string): Promise<DriverQueueInfo> {
    const ready = await this.#queues.readyCount(name);
    const entry = await this.#queues.entry(name);
    const now = Date.now();
    const inFlight = this.#tracker.inFlight(name);
    const fifo = this.#receiver.fifoStats(name);
    const buffered = this.#receiver.feedBuffered(name);
    const delayed = this.#delayed.count(name, now);
    // An empty queue has no oldest message, whatever this process still remembers.
    if (ready + fifo.ready + buffered + inFlight.length + delayed === 0) this.#ages.clear(name);
    let oldest = Math.min(now, fifo.oldestSentAt ?? now, this.#ages.oldest(name) ?? now);
    for (const delivery of inFlight) oldest = Math.min(oldest, delivery.sentAt);
    return {
      config: entry.config,
      stats: {
        visible: ready + fifo.ready + buffered,
        inFlight: inFlight.length,
        delayed,
        oldestMessageAgeSeconds: Math.max(0, Math.floor((now - oldest) / 1000)),
        createdAt: new Date(entry.createdAt),
      },
    };
  }

  async sendBatch(queue: string, entries: readonly DriverSendEntry[]): Promise<DriverBatchResult<DriverSendResult>> {
    const entry = await this.#queues.entry(queue);
    return this.#sender.sendBatch(
      { queue: entry, brokerQueue: this.names.queue(queue), exists: () => this.#queues.exists(queue) },
      entries,
    );
  }

  async receive(queue: string, request: DriverReceiveRequest): Promise<DriverMessage[]> {
    return this.#receiver.receive(await this.#queues.entry(queue), request);
  }

  async deleteBatch(
    queue: string,
    entries: readonly DriverReceiptEntry[],
  ): Promise<DriverBatchResult<DriverEntryResult>> {
    await this.#queues.entry(queue);
    return settleBatch(entries, (entry) => {
      const deleted = this.#tracker.delete(queue, entry.receiptHandle);
      if (deleted) this.#ages.remove(queue, deleted.messageId);
      return deleted?.owner;
    });
  }

  async changeVisibilityBatch(
    queue: string,
    entries: readonly DriverVisibilityEntry[],
  ): Promise<DriverBatchResult<DriverEntryResult>> {
    await this.#queues.entry(queue);
    return settleBatch(entries, (entry) =>
      this.#tracker.changeVisibility(queue, entry.receiptHandle, entry.visibilityTimeoutSeconds),
    );
  }

  purge(queue: string): Promise<void> {
    return this.#queues.purge(queue);
  }

  createTopic(name: string, config: TopicConfig): Promise<void> {
    return this.#topics.create(name, config);
  }

  deleteTopic(name: string): Promise<void> {
    this.#topicPublisher.forget(name);
    return this.#topics.delete(name);
  }

  async getTopic(name: string): Promise<TopicConfig> {
    return (await this.#topics.entry(name)).config;
  }

  listTopics(prefix?: string): Promise<string[]> {
    return this.#topics.list(prefix);
  }

  subscribe(topic: string, queue: string, config: SubscriptionConfig): Promise<string> {
    return this.#topics.subscribe(topic, queue, config);
  }

  unsubscribe(subscriptionId: string): Promise<void> {
    return this.#topics.unsubscribe(subscriptionId);
  }

  listSubscriptions(topic: string): Promise<DriverSubscription[]> {
    return this.#topics.listSubscriptions(topic);
  }

  async publishBatch(
    topic: string,
    entries: readonly DriverPublishEntry[],
  ): Promise<DriverBatchResult<DriverSendResult>> {
    return this.#topicPublisher.publishBatch(await this.#topics.entry(topic), entries);
  }

  classifyError(error: unknown): ErrorCode | undefined {
    return classifyRabbitError(error);
  }

  /** The amqplib connection (ChannelModel) while connected. */
  native(): ChannelModel | undefined {
    return this.#connection.current?.model;
  }

  /** Fault injection: cuts the TCP connection as a network failure would; the driver reconnects by itself. */
  simulateConnectionLoss(): void {
    this.#connection.destroyCurrent();
  }

  /**
   * Fault injection: makes the broker close the channels that hold `queue`'s messages (a channel
   * error). Returns `false` when this process holds no channel for the queue.
   */
  simulateChannelError(queue: string): boolean {
    const holders = [...this.#pool.channelsOf(queue), this.#receiver.dispatcherOf(queue)].filter(
      (holder) => holder !== undefined,
    );
    for (const holder of holders) holder.injectChannelError();
    return holders.length > 0;
  }

  async close(): Promise<void> {
    if (this.#closing.signal.aborted) return;
    this.#closing.abort();
    // Half the call deadline for putting prefetched messages back; the rest for closing channels.
    await this.#receiver.close(Date.now() + this.settings.callTimeoutMs / 2);
    this.#pool.close();
    this.#tracker.clear();
    this.#log.close();
    this.#publisher.close();
    this.#topicChannel.close();
    this.#slot.close();
    await this.#connection.close();
  }

  #onRegistryChange(change: RegistryChange): void {
    switch (change.kind) {
      case 'purged':
        this.#tracker.purge(change.queue, change.at);
        this.#receiver.purge(change.queue, change.at);
        this.#delayed.clear(change.queue);
        this.#ages.clear(change.queue, change.at);
        return;
      case 'queue-deleted':
      case 'queue-created':
        // A new incarnation: nothing held for the old queue of this name stays valid.
        this.#pool.closeQueue(change.queue);
        this.#receiver.forget(change.queue);
        this.#sender.forget(change.queue);
        this.#delayed.clear(change.queue);
        this.#ages.clear(change.queue);
        return;
      case 'none':
        return;
    }
  }
}

/**
 * Applies a settle operation per entry (a bad entry fails alone), then waits until the broker has
 * processed the acks and rejects: a delete that resolved is durable even if the connection dies next.
 * Entries whose channel died before that are reported `Unavailable` (they will be redelivered).
 */
async function settleBatch<E extends { readonly id: string }>(
  entries: readonly E[],
  apply: (entry: E) => DeliveryOwner | undefined,
): Promise<DriverBatchResult<DriverEntryResult>> {
  const { successful: applied, failed } = eachEntry(entries, (entry) => ({ entry, owner: apply(entry) }));
  const owners = [...new Set(applied.flatMap(({ owner }) => (owner ? [owner] : [])))];
  const flushed = await Promise.allSettled(owners.map((owner) => owner.flush()));
  const lost = new Set(owners.filter((_, index) => flushed[index]?.status === 'rejected'));
  const successful: DriverEntryResult[] = [];
  for (const { entry, owner } of applied) {
    if (owner && lost.has(owner)) {
      failed.push({
        id: entry.id,
        code: 'Unavailable',
        message: 'the connection failed before RabbitMQ confirmed the operation; the message will be delivered again',
        senderFault: false,
      });
    } else {
      successful.push({ id: entry.id });
    }
  }
  return { successful, failed };
}
