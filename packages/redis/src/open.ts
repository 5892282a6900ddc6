import { createError, InvalidParameterError, redactUrl } from '@msgport/core/driver';
import type { ClusterOptions, RedisOptions } from 'ioredis';
import { classifyRedisError, scrubError } from './classify-error.js';
import { createClient, type RedisClient } from './connection.js';
import { TRANSPORT_NAME } from './context.js';
import { RedisDriver } from './redis-driver.js';
import { parseRedisUrl } from './url.js';

/** How to reach Redis. Give a `client` you manage, or a `url` (default `redis://127.0.0.1:6379`). */
export interface RedisTransportOptions {
  readonly url?: string | URL;
  /** An ioredis `Redis` or `Cluster` client; the driver uses it and does not close it. */
  readonly client?: RedisClient;
  /** Prefix of every key, default `msgport:` (also `?prefix=` in the URL); no `{` or `}`. */
  readonly prefix?: string;
  /** Extra ioredis options for a client the driver creates. */
  readonly redisOptions?: RedisOptions;
  /** Extra ioredis Cluster options (e.g. `natMap`) when the URL says `?cluster=true`. */
  readonly clusterOptions?: ClusterOptions;
}

function isClient(value: unknown): value is RedisClient {
  return typeof value === 'object' && value !== null && typeof (value as RedisClient).call === 'function';
}

/** A driver over an existing client or a new one described by options; connects lazily. */
export function createRedisDriver(clientOrOptions: RedisClient | RedisTransportOptions = {}): RedisDriver {
  if (isClient(clientOrOptions)) return new RedisDriver({ client: clientOrOptions });
  const options = clientOrOptions;
  if (options.client) {
    return new RedisDriver({
      client: options.client,
      ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
    });
  }
  const url = parseRedisUrl(options.url ?? 'redis://127.0.0.1:6379');
  const prefix = options.prefix ?? url.prefix;
  const client = createClient({
    url,
    ...(options.redisOptions ? { redisOptions: options.redisOptions } : {}),
    ...(options.clusterOptions ? { clusterOptions: options.clusterOptions } : {}),
  });
  client.on('error', () => {
    // Connection errors surface on the commands that hit them (classified by classifyError);
    // without a listener ioredis would print them, possibly with connection details.
  });
  return new RedisDriver({ client, ownsClient: true, ...(prefix !== undefined ? { prefix } : {}) });
}

/** Connects now so a wrong address or password fails at `connect()`, not on the first send. */
export async function connectDriver(driver: RedisDriver, url: string | URL | undefined): Promise<RedisDriver> {
  const where = url === undefined ? 'Redis' : `"${redactUrl(url)}"`;
  // ioredis rejects connect() with a bare "Connection is closed."; the reason came as an 'error' event.
  let reason: unknown;
  const onError = (error: unknown) => {
    reason = error;
  };
  driver.client.on('error', onError);
  try {
    await driver.connect();
    return driver;
  } catch (raw) {
    await driver.close().catch(() => undefined);
    const cause = scrubError(reason ?? raw);
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw createError(classifyRedisError(cause) ?? 'Unavailable', `cannot connect to ${where}: ${detail}`, {
      cause,
      transport: TRANSPORT_NAME,
    });
  } finally {
    driver.client.off('error', onError);
  }
}

/** Reads `ConnectOptions.transportOptions` for the `redis://` factory. */
export function transportOptionsFrom(raw: Readonly<Record<string, unknown>> | undefined): RedisTransportOptions {
  if (raw === undefined) return {};
  const { client, prefix, redisOptions, clusterOptions } = raw;
  if (client !== undefined && !isClient(client)) {
    throw new InvalidParameterError('transportOptions.client must be an ioredis Redis or Cluster client');
  }
  if (prefix !== undefined && typeof prefix !== 'string') {
    throw new InvalidParameterError('transportOptions.prefix must be a string');
  }
  return {
    ...(client !== undefined ? { client } : {}),
    ...(prefix !== undefined ? { prefix } : {}),
    ...(typeof redisOptions === 'object' && redisOptions !== null
      ? { redisOptions: redisOptions as RedisOptions }
      : {}),
    ...(typeof clusterOptions === 'object' && clusterOptions !== null
      ? { clusterOptions: clusterOptions as ClusterOptions }
      : {}),
  };
}
