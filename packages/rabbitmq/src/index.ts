/**
 * @module @msgport/rabbitmq — SQS queue and SNS topic semantics on RabbitMQ 3.10+ (quorum queues,
 * publisher confirms, a registry stream and a shared delay cascade). Importing it registers `amqp://`
 * and `amqps://`. URL parameters (besides amqplib's own, such as `heartbeat`): `namespace`,
 * `recoveryTimeoutMs`, `connectTimeoutMs`, `fifoPrefetch`; see `RabbitMQSettings`.
 */
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { Broker, type BrokerOptions } from '@msgport/core';
import {
  type BrokerUrl,
  forwardingLogger,
  InvalidParameterError,
  type Logger,
  registerTransport,
  type TransportContext,
  UnavailableError,
} from '@msgport/core/driver';
import { rabbitError } from './classify-error.js';
import { RabbitMQDriver, TRANSPORT_NAME } from './rabbitmq-driver.js';
import { RABBITMQ_PUBLIC_PARAMS, type RabbitMQSettings } from './url.js';

export { rabbitmqCapabilities } from './capabilities.js';
export { classifyRabbitError } from './classify-error.js';
export { RabbitMQDriver, TRANSPORT_NAME } from './rabbitmq-driver.js';
export type { RabbitMQSettings } from './url.js';

export interface RabbitMQOptions extends BrokerOptions, Omit<RabbitMQSettings, 'logger'> {}

/** Opens a driver; `url` is `amqp://user:pass@host:5672/vhost?namespace=…`. */
export function createRabbitMQDriver(
  url: string | URL | BrokerUrl,
  settings: RabbitMQSettings = {},
): Promise<RabbitMQDriver> {
  return RabbitMQDriver.open(url, settings);
}

/** A broker over a new RabbitMQ connection (what `connect('amqp://…')` returns). */
export async function createRabbitMQBroker(
  url: string | URL | BrokerUrl,
  options: RabbitMQOptions = {},
): Promise<Broker> {
  // The driver reports to the broker's logger, which the broker resolves from `options.logger`.
  let broker: Broker | undefined;
  const logger: Logger = forwardingLogger(() => broker?.logger);
  const { retry, logger: given, ...settings } = options;
  const driver = await RabbitMQDriver.open(url, { ...settings, logger });
  broker = new Broker(driver, { ...(retry ? { retry } : {}), ...(given !== undefined ? { logger: given } : {}) });
  return broker;
}

/**
 * Removes what msgport keeps on the broker for a namespace once it holds no queue and no topic: the
 * registry stream `<namespace>.msgport.control` (without a namespace, `msgport.control`). Fails
 * `InvalidParameter` while queues or topics remain (delete them first). Processes still connected
 * to the namespace start from an empty registry; the next queue or topic created declares the stream
 * again. The delay cascade, shared by every namespace, stays.
 */
export async function removeRabbitMQRegistry(
  url: string | URL | BrokerUrl,
  settings: RabbitMQSettings = {},
): Promise<void> {
  const driver = await RabbitMQDriver.open(url, settings);
  try {
    const [queues, topics] = await Promise.all([driver.listQueues(), driver.listTopics()]);
    if (queues.length > 0 || topics.length > 0) {
      throw new InvalidParameterError(
        `the namespace still has ${queues.length} queue(s) and ${topics.length} topic(s); delete them before removing its registry`,
        { transport: TRANSPORT_NAME },
      );
    }
    const model = driver.native();
    if (!model) throw new UnavailableError('the connection to RabbitMQ dropped', { transport: TRANSPORT_NAME });
    const channel = await model.createChannel();
    try {
      await channel.deleteQueue(driver.names.controlStream);
    } catch (error) {
      throw rabbitError(`cannot remove the registry stream "${driver.names.controlStream}"`, error);
    } finally {
      // The channel was only for this deletion; its failure, if any, is the error above.
      await channel.close().catch(() => {});
    }
  } finally {
    await driver.close();
  }
}

function settingsFrom({ transportOptions: given, deadlines, logger }: TransportContext): RabbitMQSettings {
  const settings: { -readonly [K in keyof RabbitMQSettings]: RabbitMQSettings[K] } = {
    connectTimeoutMs: deadlines.connectTimeoutMs,
    callTimeoutMs: deadlines.callTimeoutMs,
    logger,
  };
  if (typeof given.namespace === 'string') settings.namespace = given.namespace;
  if (typeof given.recoveryTimeoutMs === 'number') settings.recoveryTimeoutMs = given.recoveryTimeoutMs;
  if (typeof given.connectTimeoutMs === 'number') settings.connectTimeoutMs = given.connectTimeoutMs;
  if (typeof given.fifoPrefetch === 'number') settings.fifoPrefetch = given.fifoPrefetch;
  if (given.hosts !== undefined) settings.hosts = given.hosts as readonly string[];
  if (typeof given.shuffleHosts === 'boolean') settings.shuffleHosts = given.shuffleHosts;
  if (given.tls !== undefined) settings.tls = given.tls as TlsOptions;
  return settings;
}

registerTransport({
  schemes: ['amqp', 'amqps'],
  publicParams: RABBITMQ_PUBLIC_PARAMS,
  open: (context) => RabbitMQDriver.open(context.url, settingsFrom(context)),
});
