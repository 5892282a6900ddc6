/**
 * @module @msgport/rabbitmq — SQS queue and SNS topic semantics on RabbitMQ 3.10+ (quorum queues,
 * publisher confirms, a registry stream and a shared delay cascade). Importing it registers `amqp://`
 * and `amqps://`. URL parameters (besides amqplib's own, such as `heartbeat`): `namespace`,
 * `recoveryTimeoutMs`, `connectTimeoutMs`, `fifoPrefetch`; see `RabbitMQSettings`.
 */
import { Broker, type BrokerOptions } from '@msgport/core';
import { type ConnectOptions, registerTransport } from '@msgport/core/driver';
import { RabbitMQDriver } from './rabbitmq-driver.js';
import type { RabbitMQSettings } from './url.js';

export { rabbitmqCapabilities } from './capabilities.js';
export { classifyRabbitError } from './classify-error.js';
export { RabbitMQDriver, TRANSPORT_NAME } from './rabbitmq-driver.js';
export type { RabbitMQSettings } from './url.js';

export interface RabbitMQOptions extends BrokerOptions, RabbitMQSettings {}

/** Opens a driver; `url` is `amqp://user:pass@host:5672/vhost?namespace=…`. */
export function createRabbitMQDriver(url: string | URL, settings: RabbitMQSettings = {}): Promise<RabbitMQDriver> {
  return RabbitMQDriver.open(url, settings);
}

/** A broker over a new RabbitMQ connection (what `connect('amqp://…')` returns). */
export async function createRabbitMQBroker(url: string | URL, options: RabbitMQOptions = {}): Promise<Broker> {
  const { retry, ...settings } = options;
  return new Broker(await RabbitMQDriver.open(url, settings), retry ? { retry } : {});
}

function settingsFrom(options: ConnectOptions): RabbitMQSettings {
  const given = options.transportOptions ?? {};
  const settings: { -readonly [K in keyof RabbitMQSettings]: RabbitMQSettings[K] } = {};
  if (typeof given.namespace === 'string') settings.namespace = given.namespace;
  if (typeof given.recoveryTimeoutMs === 'number') settings.recoveryTimeoutMs = given.recoveryTimeoutMs;
  if (typeof given.connectTimeoutMs === 'number') settings.connectTimeoutMs = given.connectTimeoutMs;
  if (typeof given.fifoPrefetch === 'number') settings.fifoPrefetch = given.fifoPrefetch;
  return settings;
}

registerTransport({
  schemes: ['amqp', 'amqps'],
  open: (url, options) => RabbitMQDriver.open(url, settingsFrom(options)),
});
