import { connect } from '@msgport/core';
import { removeRabbitMQRegistry } from '@msgport/rabbitmq';
import { runId } from './env.js';

/**
 * The msgport namespaces a test file opens on the shared RabbitMQ: `url()` names a fresh one, and
 * `removeAll()` deletes what each holds (queues, topics, then its registry stream), so runs leave
 * nothing behind on a broker other runs share.
 */
export class RabbitNamespaces {
  readonly #urls = new Set<string>();

  /** `base` (an `amqp://` URL) with a new `namespace=<prefix><random>`. */
  url(base: string, prefix: string): string {
    const url = `${base}${base.includes('?') ? '&' : '?'}namespace=${prefix}${runId()}`;
    this.#urls.add(url);
    return url;
  }

  async removeAll(): Promise<void> {
    const urls = [...this.#urls];
    this.#urls.clear();
    await Promise.all(urls.map((url) => remove(url)));
  }
}

async function remove(url: string): Promise<void> {
  const broker = await connect(url, { logger: false });
  try {
    const [queues, topics] = await Promise.all([broker.listQueues(), broker.listTopics()]);
    await Promise.all([
      ...queues.map((name) => broker.deleteQueue(name)),
      ...topics.map((name) => broker.deleteTopic(name)),
    ]);
  } finally {
    await broker.close();
  }
  await removeRabbitMQRegistry(url);
}
