import { InvalidParameterError, redactUrl } from '@msgport/core/driver';

/** What a `redis://` or `rediss://` URL says. */
export interface RedisUrlOptions {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  readonly db: number;
  readonly tls: boolean;
  /** `?cluster=true`: connect with the Redis Cluster client; host:port is the first startup node. */
  readonly cluster: boolean;
  /** `?nodes=h1:p1,h2:p2`: more cluster startup nodes. */
  readonly nodes: readonly { host: string; port: number }[];
  /** `?prefix=app:`: prefix of every key (default `msgport:`). */
  readonly prefix?: string;
}

const BOOLEAN_TEXT: Readonly<Record<string, boolean>> = { '': true, true: true, '1': true, false: false, '0': false };

function parsePort(text: string, where: string, url: string): number {
  const port = text === '' ? 6379 : Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InvalidParameterError(`${where} in "${redactUrl(url)}" has an invalid port "${text}"`);
  }
  return port;
}

function hostPort(entry: string, url: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d*))?$/.exec(entry.trim());
  if (!match?.[1]) throw new InvalidParameterError(`cluster node "${entry}" in "${redactUrl(url)}" is not host:port`);
  return { host: match[1].replace(/^\[|\]$/g, ''), port: parsePort(match[2] ?? '', 'a cluster node', url) };
}

/**
 * Parses `redis[s]://[user[:password]@]host[:port][/db][?prefix=…&cluster=true&nodes=h:p,…]`.
 * Errors quote the URL with its password redacted.
 */
export function parseRedisUrl(input: string | URL): RedisUrlOptions {
  const text = String(input);
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new InvalidParameterError(`"${redactUrl(text)}" is not a Redis URL such as redis://localhost:6379`, {
      cause,
    });
  }
  const scheme = url.protocol.replace(/:$/, '').toLowerCase();
  if (scheme !== 'redis' && scheme !== 'rediss') {
    throw new InvalidParameterError(`"${redactUrl(text)}" is not a redis:// or rediss:// URL`);
  }
  const path = url.pathname.replace(/^\/+/, '');
  const db = path === '' ? 0 : Number(path);
  if (!Number.isInteger(db) || db < 0) {
    throw new InvalidParameterError(`the database in "${redactUrl(text)}" must be a whole number, got "${path}"`);
  }
  const known = new Set(['prefix', 'cluster', 'nodes']);
  for (const key of url.searchParams.keys()) {
    if (!known.has(key)) {
      throw new InvalidParameterError(
        `unknown parameter "${key}" in "${redactUrl(text)}"; supported: ${[...known].join(', ')}`,
      );
    }
  }
  const clusterText = url.searchParams.get('cluster');
  const cluster = clusterText === null ? false : BOOLEAN_TEXT[clusterText.toLowerCase()];
  if (cluster === undefined) {
    throw new InvalidParameterError(`cluster=${clusterText} in "${redactUrl(text)}" must be true or false`);
  }
  if (cluster && db !== 0) {
    throw new InvalidParameterError(`Redis Cluster has only database 0; "${redactUrl(text)}" selects ${db}`);
  }
  const nodesText = url.searchParams.get('nodes');
  const nodes = nodesText ? nodesText.split(',').map((entry) => hostPort(entry, text)) : [];
  const prefix = url.searchParams.get('prefix');
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  return {
    host: url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: parsePort(url.port, 'the address', text),
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    db,
    tls: scheme === 'rediss',
    cluster,
    nodes,
    ...(prefix !== null ? { prefix } : {}),
  };
}
