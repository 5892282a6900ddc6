/**
 * @module @msgport/redis — SQS queue semantics and SNS topics on Redis ≥ 7.0 and Redis Cluster,
 * with ioredis. Importing it registers `redis://` and `rediss://` (TLS) for `connect()`:
 *
 *   redis[s]://[user[:password]@]host[:port][/db][?prefix=app:&cluster=true&nodes=h2:p2,h3:p3]
 *
 * Run the server with `appendonly yes` for durability (docs/transports/redis.md).
 */
import { Broker, type BrokerOptions } from '@msgport/core';
import { registerTransport } from '@msgport/core/driver';
import { connectDriver, createRedisDriver, type RedisTransportOptions, transportOptionsFrom } from './open.js';

export { redisCapabilities } from './capabilities.js';
export { classifyRedisError } from './classify-error.js';
export type { RedisClient } from './connection.js';
export { TRANSPORT_NAME } from './context.js';
export { createKeySpace, encodeKeyPart } from './keys.js';
export { createRedisDriver, type RedisTransportOptions } from './open.js';
export { DEFAULT_PREFIX, RedisDriver } from './redis-driver.js';
export { parseRedisUrl, type RedisUrlOptions } from './url.js';

export interface RedisBrokerOptions extends RedisTransportOptions, BrokerOptions {}

/** A broker on Redis; connects lazily (use `connect('redis://…')` to fail fast on a bad address). */
export function createRedisBroker(options: RedisBrokerOptions = {}): Broker {
  return new Broker(createRedisDriver(options), options);
}

registerTransport({
  schemes: ['redis', 'rediss'],
  open(url, options) {
    const transport = transportOptionsFrom(options.transportOptions);
    const driver = createRedisDriver(transport.client ? transport : { ...transport, url });
    return connectDriver(driver, transport.client ? undefined : url);
  },
});
