import type { ConnectionOptions } from 'node:tls';
import type { Deadlines } from '@msgport/core/driver';
import { Cluster, type ClusterNode, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { connectWithin } from './connect-within.js';
import { backoffMs } from './failover-window.js';
import type { Endpoint } from './failure-error.js';
import { keySlot } from './slot.js';
import type { RedisUrlOptions } from './url.js';

/** A single-server client (also Sentinel-managed) or a Redis Cluster client; the driver works with both. */
export type RedisClient = Redis | Cluster;

export function isCluster(client: RedisClient): client is Cluster {
  return (client as { isCluster?: unknown }).isCluster === true;
}

/** Reconnects in the background for as long as the driver lives: 50 ms doubling to 1 s, with jitter. */
const reconnectDelay = (times: number): number => backoffMs(times - 1);

/**
 * The command connection. Every command is bounded by `callTimeoutMs` (`commandTimeout`); nothing
 * waits in an offline queue and nothing is re-sent by ioredis after a reconnect — a call while the
 * connection is down fails at once (`Unavailable`) and the driver's failover window decides
 * whether to retry it. The connection itself is re-established in the background.
 *
 * No auto-pipelining: ioredis keeps one auto-pipeline per connection in flight and holds every
 * later command until all of its replies are in, so concurrent calls (a producer's send, consumers'
 * receives and deletes) would take turns with Redis instead of overlapping. A call is one script
 * for a whole batch, so writing each one at once costs little.
 */
export function commandDefaults(deadlines: Deadlines): RedisOptions {
  return {
    lazyConnect: true,
    enableAutoPipelining: false,
    connectTimeout: deadlines.connectTimeoutMs,
    commandTimeout: deadlines.callTimeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: reconnectDelay,
    connectionName: 'msgport',
  };
}

/**
 * Blocking connections (long polls). No command timeout (a BLPOP may outlast `callTimeoutMs`;
 * the poller's watchdog bounds it by its wait plus a grace), no reconnect and no re-sent BLPOP
 * after one (ioredis would replay it silently and the poll could hang, BullMQ #4479): a broken
 * blocking connection is dropped and the poller opens a new one.
 */
export const BLOCKING_OVERRIDES: RedisOptions = {
  lazyConnect: true,
  enableAutoPipelining: false,
  enableOfflineQueue: false,
  autoResendUnfulfilledCommands: false,
  commandTimeout: undefined,
  retryStrategy: () => null,
  maxRetriesPerRequest: 0,
  connectionName: 'msgport-blocking',
};

export interface ClientSettings {
  readonly url: RedisUrlOptions;
  readonly deadlines: Deadlines;
  readonly tls?: ConnectionOptions | undefined;
  readonly redisOptions?: RedisOptions | undefined;
  readonly clusterOptions?: ClusterOptions | undefined;
}

function credentials(settings: ClientSettings): RedisOptions {
  const { url, tls } = settings;
  return {
    ...(url.username !== undefined ? { username: url.username } : {}),
    ...(url.password !== undefined ? { password: url.password } : {}),
    ...(tls !== undefined ? { tls } : {}),
  };
}

function clusterClient(settings: ClientSettings): Cluster {
  const { url, deadlines } = settings;
  const nodes: ClusterNode[] = [{ host: url.host, port: url.port }, ...url.nodes];
  const { lazyConnect, enableAutoPipelining, retryStrategy, ...perNode } = commandDefaults(deadlines);
  const options: ClusterOptions = {
    lazyConnect,
    enableAutoPipelining,
    enableOfflineQueue: false,
    clusterRetryStrategy: reconnectDelay,
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    retryDelayOnTryAgain: 200,
    slotsRefreshTimeout: Math.min(deadlines.connectTimeoutMs, 2_000),
    ...settings.clusterOptions,
    redisOptions: { ...perNode, ...credentials(settings), ...settings.clusterOptions?.redisOptions },
  };
  // ioredis types `redisOptions.replyMapping` without `| undefined`; the value is a plain ClusterOptions.
  return new Cluster(nodes, options as ConstructorParameters<typeof Cluster>[1]);
}

function sentinelOptions(settings: ClientSettings): RedisOptions {
  const { url, deadlines, tls } = settings;
  const sentinel = url.sentinel;
  if (!sentinel) return {};
  return {
    sentinels: sentinel.nodes.map(({ host, port }) => ({ host, port })),
    name: sentinel.masterName,
    ...(sentinel.username !== undefined ? { sentinelUsername: sentinel.username } : {}),
    ...(sentinel.password !== undefined ? { sentinelPassword: sentinel.password } : {}),
    sentinelCommandTimeout: deadlines.connectTimeoutMs,
    sentinelRetryStrategy: reconnectDelay,
    // A primary that dies drops its connections: the client reconnects and asks the Sentinels.
    // A primary demoted while still reachable answers writes with READONLY: reconnect then too.
    // (ioredis's failoverDetector would keep subscribed Sentinel connections whose errors nobody
    // can listen to.)
    failoverDetector: false,
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
    ...(tls !== undefined ? { enableTLSForSentinelMode: true, sentinelTLS: tls } : {}),
  };
}

/** Builds (without connecting) the client a URL describes. */
export function createClient(settings: ClientSettings): RedisClient {
  const { url, deadlines } = settings;
  if (url.cluster) return clusterClient(settings);
  const options: RedisOptions = {
    ...commandDefaults(deadlines),
    host: url.host,
    port: url.port,
    db: url.db,
    ...credentials(settings),
    ...sentinelOptions(settings),
    ...settings.redisOptions,
  };
  // Same `replyMapping` typing quirk as above.
  return new Redis(options as Omit<RedisOptions, 'replyMapping'>);
}

/** The cluster's connection to the primary that serves `key`'s slot (as ioredis last mapped it). */
export function primaryFor(client: Cluster, key: string): Redis {
  const nodeKey = client.slots[keySlot(key)]?.[0];
  const node = client
    .nodes('master')
    .find((candidate) => `${candidate.options.host}:${candidate.options.port}` === nodeKey);
  if (!node) throw new Error(`Cluster isn't ready: no primary serves the slot of ${key}`);
  return node;
}

/**
 * Opens a connection for blocking commands on `key`, within the connect deadline: a duplicate of
 * the client, or on a cluster a duplicate of the primary that serves the key's slot.
 */
export async function openBlockingConnection(client: RedisClient, key: string, endpoint: Endpoint): Promise<Redis> {
  let connection: Redis;
  if (isCluster(client)) {
    connection = primaryFor(client, key).duplicate(BLOCKING_OVERRIDES);
  } else {
    connection = client.duplicate(BLOCKING_OVERRIDES);
  }
  connection.on('error', () => {
    // Failures reach the waiting BLPOP; the poller retries with a new connection.
  });
  await connectWithin(connection, endpoint);
  return connection;
}
