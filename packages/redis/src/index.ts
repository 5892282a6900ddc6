/**
 * @module @msgport/redis — SQS queue semantics and SNS topics on Redis ≥ 7.0, Redis Cluster and
 * Sentinel-managed Redis, with ioredis. Importing it registers, for `connect()`:
 *
 *   redis[s]://[user[:password]@]host[:port][/db][?prefix=app:&cluster=true&nodes=h2:p2,h3:p3]
 *   redis[s]+sentinel://[user[:password]@]s1[:26379],s2,s3/<masterName>[/db][?sentinelPassword=…]
 *
 * plus `connectTimeoutMs`, `callTimeoutMs`, `failoverWindowMs` and, on TLS URLs, `tlsCaFile`,
 * `tlsCertFile`, `tlsKeyFile`, `tlsServerName`. Run the server with `appendonly yes` for
 * durability (docs/transports/redis.md).
 */
import { Broker, type BrokerOptions } from '@msgport/core';
import { forwardingLogger, type Logger, registerTransport } from '@msgport/core/driver';
import { connectDriver, createRedisDriver, type RedisTransportOptions, transportOptionsFrom } from './open.js';
import { REDIS_PUBLIC_PARAMS, REDIS_SCHEMES } from './url.js';

export { redisCapabilities } from './capabilities.js';
export { classifyRedisError } from './classify-error.js';
export type { RedisClient } from './connection.js';
export { TRANSPORT_NAME } from './context.js';
export { DEFAULT_FAILOVER_WINDOW_MS } from './failover-window.js';
export { createKeySpace, encodeKeyPart } from './keys.js';
export { createRedisDriver, type RedisTransportOptions } from './open.js';
export { DEFAULT_PREFIX, RedisDriver } from './redis-driver.js';
export {
  parseRedisUrl,
  REDIS_PUBLIC_PARAMS,
  REDIS_SCHEMES,
  type RedisUrlOptions,
  type SentinelUrlOptions,
  type TlsUrlOptions,
} from './url.js';

export interface RedisBrokerOptions extends Omit<RedisTransportOptions, 'logger'>, BrokerOptions {}

/** A broker on Redis; connects lazily (use `connect('redis://…')` to fail fast on a bad address). */
export function createRedisBroker(options: RedisBrokerOptions = {}): Broker {
  // The driver reports to the broker's logger, which the broker resolves from `options.logger`.
  let broker: Broker | undefined;
  const logger: Logger = forwardingLogger(() => broker?.logger);
  broker = new Broker(createRedisDriver({ ...options, logger }), options);
  return broker;
}

registerTransport({
  schemes: REDIS_SCHEMES,
  publicParams: REDIS_PUBLIC_PARAMS,
  open({ url, transportOptions, deadlines, logger }) {
    const transport = transportOptionsFrom(transportOptions);
    const driver = createRedisDriver({ ...transport, deadlines, logger, ...(transport.client ? {} : { url }) });
    return connectDriver(driver);
  },
});
