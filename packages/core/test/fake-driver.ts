import type { Capabilities } from '../src/capabilities.js';
import type { Driver, DriverMessage, DriverQueueInfo } from '../src/driver/driver.js';
import { resolveQueueConfig } from '../src/queue-config.js';

export const fakeCapabilities: Capabilities = {
  fifo: true,
  fairQueues: true,
  delay: true,
  maxDelaySeconds: 900,
  deadLetter: true,
  purge: true,
  retention: true,
  queueStats: true,
  changeVisibility: true,
  longPolling: true,
  strictReceiptHandles: true,
  topics: true,
  fifoTopics: true,
  rawDelivery: true,
  filterPolicyScopes: ['MessageAttributes', 'MessageBody'],
  maxBatchSize: 10,
  maxMessageBytes: 1_048_576,
  persistent: false,
  crashRedelivery: 'afterVisibilityTimeout',
  receiptHandleScope: 'global',
};

/** A scripted driver that records every call, so core logic is tested without a transport. */
export class FakeDriver implements Driver {
  readonly transport = 'fake';
  readonly capabilities: Capabilities;
  readonly calls: { method: string; args: unknown[] }[] = [];
  receiveQueue: DriverMessage[][] = [];
  failWith: unknown;

  constructor(capabilities: Partial<Capabilities> = {}) {
    this.capabilities = { ...fakeCapabilities, ...capabilities };
  }

  #record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
    if (this.failWith !== undefined) throw this.failWith;
  }

  async createQueue(name: string, config: unknown) {
    this.#record('createQueue', name, config);
  }
  async deleteQueue(name: string) {
    this.#record('deleteQueue', name);
  }
  async listQueues() {
    this.#record('listQueues');
    return [];
  }
  async getQueue(name: string): Promise<DriverQueueInfo> {
    this.#record('getQueue', name);
    return {
      config: resolveQueueConfig(name),
      stats: { visible: 0, inFlight: 0, delayed: 0, oldestMessageAgeSeconds: 0, createdAt: new Date(0) },
    };
  }
  async sendBatch(queue: string, entries: readonly { id: string }[]) {
    this.#record('sendBatch', queue, entries);
    return { successful: entries.map((e) => ({ id: e.id, messageId: `mid-${e.id}` })), failed: [] };
  }
  async receive(queue: string, request: unknown) {
    this.#record('receive', queue, request);
    return this.receiveQueue.shift() ?? [];
  }
  async deleteBatch(queue: string, entries: readonly { id: string }[]) {
    this.#record('deleteBatch', queue, entries);
    return { successful: entries.map((e) => ({ id: e.id })), failed: [] };
  }
  async changeVisibilityBatch(queue: string, entries: readonly { id: string }[]) {
    this.#record('changeVisibilityBatch', queue, entries);
    return { successful: entries.map((e) => ({ id: e.id })), failed: [] };
  }
  async purge(queue: string) {
    this.#record('purge', queue);
  }
  async createTopic(name: string) {
    this.#record('createTopic', name);
  }
  async deleteTopic(name: string) {
    this.#record('deleteTopic', name);
  }
  async getTopic(name: string) {
    this.#record('getTopic', name);
    return { fifo: name.endsWith('.fifo'), contentBasedDeduplication: false };
  }
  async listTopics() {
    this.#record('listTopics');
    return [];
  }
  async subscribe(topic: string, queue: string) {
    this.#record('subscribe', topic, queue);
    return `sub-${topic}-${queue}`;
  }
  async unsubscribe(id: string) {
    this.#record('unsubscribe', id);
  }
  async listSubscriptions(topic: string) {
    this.#record('listSubscriptions', topic);
    return [];
  }
  async publishBatch(topic: string, entries: readonly { id: string }[]) {
    this.#record('publishBatch', topic, entries);
    return { successful: entries.map((e) => ({ id: e.id, messageId: `mid-${e.id}` })), failed: [] };
  }
  classifyError(error: unknown) {
    return error instanceof Error && error.message.includes('ECONNREFUSED') ? ('Unavailable' as const) : undefined;
  }
  async close() {
    this.#record('close');
  }
}
