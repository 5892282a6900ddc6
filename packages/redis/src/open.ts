import type { ConnectionOptions } from 'node:tls';
import {
  BrokerUrl,
  DEFAULT_DEADLINES,
  type Deadlines,
  InvalidParameterError,
  type Logger,
  silentLogger,
} from '@msgport/core/driver';
import type { ClusterOptions, RedisOptions } from 'ioredis';
import { createClient, isCluster, type RedisClient } from './connection.js';
import { DEFAULT_FAILOVER_WINDOW_MS } from './failover-window.js';
import type { Endpoint } from './failure-error.js';
import { RedisDriver } from './redis-driver.js';
import { tlsOptionsFor } from './tls-options.js';
import { parseRedisUrl, type RedisUrlOptions } from './url.js';

/** How to reach Redis. Give a `client` you manage, or a `url` (default `redis://127.0.0.1:6379`). */
export interface RedisTransportOptions {
  readonly url?: string | URL | BrokerUrl;
  /** An ioredis `Redis` or `Cluster` client; the driver uses it and does not close it. */
  readonly client?: RedisClient;
  /** Prefix of every key, default `msgport:` (also `?prefix=` in the URL); no `{` or `}`. */
  readonly prefix?: string;
  /** TLS settings for `rediss://` (Node `tls.connect` options: `ca`, `cert`, `key`, `servername`, …). */
  readonly tls?: ConnectionOptions;
  /**
   * How long a call keeps retrying through a failover (connection lost, CLUSTERDOWN, TRYAGAIN,
   * MOVED, LOADING, READONLY…), from its first failure; also `?failoverWindowMs=`. Default
   * 10,000 ms for Redis Cluster and Sentinel, 0 for a single server. Never beyond `callTimeoutMs`.
   */
  readonly failoverWindowMs?: number;
  /**
   * Writes whose loss in a failover would lose a message (send, adopt into a dead-letter queue)
   * or a queue, topic or subscription wait until this many replicas confirmed them (`WAIT`);
   * also `?waitForReplicas=`. Default 0: replication stays asynchronous and a failover can lose
   * the last acknowledged writes.
   */
  readonly waitForReplicas?: number;
  /** Connect and per-call deadlines (`connect()` resolves them from its options and the URL). */
  readonly deadlines?: Deadlines;
  /** Where connection loss and recovery are reported (`connect()` passes the broker's logger). */
  readonly logger?: Logger;
  /** Extra ioredis options for a client the driver creates (also Sentinel options). */
  readonly redisOptions?: RedisOptions;
  /** Extra ioredis Cluster options (e.g. `natMap`) when the URL says `?cluster=true`. */
  readonly clusterOptions?: ClusterOptions;
}

function isClient(value: unknown): value is RedisClient {
  return typeof value === 'object' && value !== null && typeof (value as RedisClient).call === 'function';
}

/** The URL as messages show it: redacted, without its query. */
function whereOf(input: string | URL | BrokerUrl): string {
  const url = BrokerUrl.parse(input);
  return url.withoutParams(url.paramNames()).redacted();
}

/** What a message can say about a client the application gave (host and port only). */
function whereOfClient(client: RedisClient): string {
  if (isCluster(client)) return 'the Redis Cluster client given in transportOptions.client';
  return `redis://${client.options.host}:${client.options.port}`;
}

function defaultWindow(url: RedisUrlOptions): number {
  if (url.cluster) return DEFAULT_FAILOVER_WINDOW_MS.cluster;
  return url.sentinel ? DEFAULT_FAILOVER_WINDOW_MS.sentinel : DEFAULT_FAILOVER_WINDOW_MS.standalone;
}

/** A driver over an existing client or a new one described by options; connects lazily. */
export function createRedisDriver(clientOrOptions: RedisClient | RedisTransportOptions = {}): RedisDriver {
  const options: RedisTransportOptions = isClient(clientOrOptions) ? { client: clientOrOptions } : clientOrOptions;
  const deadlines = options.deadlines ?? DEFAULT_DEADLINES;
  const logger = options.logger ?? silentLogger;
  const prefixOption = options.prefix !== undefined ? { prefix: options.prefix } : {};
  if (options.client) {
    const endpoint: Endpoint = { where: whereOfClient(options.client), db: 0, ...deadlines };
    return new RedisDriver({
      client: options.client,
      endpoint,
      logger,
      failoverWindowMs:
        options.failoverWindowMs ?? (isCluster(options.client) ? DEFAULT_FAILOVER_WINDOW_MS.cluster : 0),
      ...prefixOption,
    });
  }
  const input = options.url ?? 'redis://127.0.0.1:6379';
  const url = parseRedisUrl(input);
  const prefix = options.prefix ?? url.prefix;
  const client = createClient({
    url,
    deadlines,
    tls: tlsOptionsFor(url.tls, url.tlsFiles, options.tls),
    redisOptions: options.redisOptions,
    clusterOptions: options.clusterOptions,
  });
  return new RedisDriver({
    client,
    ownsClient: true,
    endpoint: { where: whereOf(input), db: url.db, ...deadlines },
    logger,
    failoverWindowMs: options.failoverWindowMs ?? url.failoverWindowMs ?? defaultWindow(url),
    waitForReplicas: options.waitForReplicas ?? url.waitForReplicas ?? 0,
    ...(prefix !== undefined ? { prefix } : {}),
  });
}

/** Connects now so a wrong address or password fails at `connect()`, not on the first send. */
export async function connectDriver(driver: RedisDriver): Promise<RedisDriver> {
  try {
    await driver.connect();
    return driver;
  } catch (error) {
    await driver.close().catch(() => undefined);
    throw error;
  }
}

function objectOption<T>(name: string, value: unknown): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidParameterError(`transportOptions.${name} must be an object`);
  }
  return value as T;
}

/** Reads `ConnectOptions.transportOptions` for the `redis://` factory. */
export function transportOptionsFrom(raw: Readonly<Record<string, unknown>> | undefined): RedisTransportOptions {
  if (raw === undefined) return {};
  const { client, prefix, failoverWindowMs, waitForReplicas } = raw;
  if (client !== undefined && !isClient(client)) {
    throw new InvalidParameterError('transportOptions.client must be an ioredis Redis or Cluster client');
  }
  if (prefix !== undefined && typeof prefix !== 'string') {
    throw new InvalidParameterError('transportOptions.prefix must be a string');
  }
  for (const [name, value] of Object.entries({ failoverWindowMs, waitForReplicas })) {
    if (value !== undefined && !(Number.isSafeInteger(value) && Number(value) >= 0)) {
      throw new InvalidParameterError(`transportOptions.${name} must be a whole number`);
    }
  }
  const tls = objectOption<ConnectionOptions>('tls', raw.tls);
  const redisOptions = objectOption<RedisOptions>('redisOptions', raw.redisOptions);
  const clusterOptions = objectOption<ClusterOptions>('clusterOptions', raw.clusterOptions);
  return {
    ...(client !== undefined ? { client } : {}),
    ...(prefix !== undefined ? { prefix } : {}),
    ...(failoverWindowMs !== undefined ? { failoverWindowMs: failoverWindowMs as number } : {}),
    ...(waitForReplicas !== undefined ? { waitForReplicas: waitForReplicas as number } : {}),
    ...(tls !== undefined ? { tls } : {}),
    ...(redisOptions !== undefined ? { redisOptions } : {}),
    ...(clusterOptions !== undefined ? { clusterOptions } : {}),
  };
}
