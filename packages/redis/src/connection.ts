import { Cluster, type ClusterNode, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { scrubError } from './classify-error.js';
import { keySlot } from './slot.js';
import type { RedisUrlOptions } from './url.js';

/** A single-server client or a Redis Cluster client; the driver works with both. */
export type RedisClient = Redis | Cluster;

export function isCluster(client: RedisClient): client is Cluster {
  return (client as { isCluster?: unknown }).isCluster === true;
}

/** Defaults for the command connection: reconnect quickly, keep commands across short outages. */
export const COMMAND_DEFAULTS: RedisOptions = {
  lazyConnect: true,
  enableAutoPipelining: true,
  maxRetriesPerRequest: 10,
  retryStrategy: (times) => Math.min(times * 100, 1000),
  connectionName: 'msgport',
};

/**
 * Blocking connections (long polls) never re-send an interrupted BLPOP after a reconnect: ioredis
 * would otherwise replay it silently and the poll could hang (BullMQ #4479). The poller's watchdog
 * handles the rest.
 */
export const BLOCKING_OVERRIDES: RedisOptions = {
  lazyConnect: true,
  enableAutoPipelining: false,
  autoResendUnfulfilledCommands: false,
  maxRetriesPerRequest: 1,
  connectionName: 'msgport-blocking',
};

export interface ClientSettings {
  readonly url: RedisUrlOptions;
  readonly redisOptions?: RedisOptions;
  readonly clusterOptions?: ClusterOptions;
}

/** Builds (without connecting) the client a URL describes. */
export function createClient(settings: ClientSettings): RedisClient {
  const { url } = settings;
  const auth = {
    ...(url.username !== undefined ? { username: url.username } : {}),
    ...(url.password !== undefined ? { password: url.password } : {}),
    ...(url.tls ? { tls: {} } : {}),
  };
  if (url.cluster) {
    const nodes: ClusterNode[] = [{ host: url.host, port: url.port }, ...url.nodes];
    const options: ClusterOptions = {
      lazyConnect: true,
      enableAutoPipelining: true,
      ...settings.clusterOptions,
      redisOptions: {
        maxRetriesPerRequest: 10,
        connectionName: 'msgport',
        ...auth,
        ...settings.clusterOptions?.redisOptions,
      },
    };
    // ioredis types `redisOptions.replyMapping` without `| undefined`; the value is a plain ClusterOptions.
    return new Cluster(nodes, options as ConstructorParameters<typeof Cluster>[1]);
  }
  const options: RedisOptions = {
    ...COMMAND_DEFAULTS,
    host: url.host,
    port: url.port,
    db: url.db,
    ...auth,
    ...settings.redisOptions,
  };
  // Same `replyMapping` typing quirk as above.
  return new Redis(options as Omit<RedisOptions, 'replyMapping'>);
}

/**
 * Opens a connection for blocking commands on `key`: a duplicate of the client, or on a cluster a
 * duplicate of the primary that serves the key's slot.
 */
export async function openBlockingConnection(client: RedisClient, key: string): Promise<Redis> {
  let connection: Redis;
  if (isCluster(client)) {
    if (client.status !== 'ready') await client.call('PING');
    const nodeKey = client.slots[keySlot(key)]?.[0];
    const node = client
      .nodes('master')
      .find((candidate) => `${candidate.options.host}:${candidate.options.port}` === nodeKey);
    if (!node) throw new Error(`Cluster isn't ready: no primary serves the slot of ${key}`);
    connection = node.duplicate(BLOCKING_OVERRIDES);
  } else {
    connection = client.duplicate(BLOCKING_OVERRIDES);
  }
  connection.on('error', () => {
    // Failures reach the waiting BLPOP; the poller retries with a new connection.
  });
  try {
    await connection.connect();
  } catch (error) {
    connection.disconnect();
    throw scrubError(error);
  }
  return connection;
}
