import { BrokerUrl, type HostPort, InvalidParameterError, parseHostList } from '@msgport/core/driver';

export type HostAndPort = { readonly host: string; readonly port: number };

/** `redis+sentinel://…`: the Sentinels to ask and the primary they watch. */
export interface SentinelUrlOptions {
  /** The Sentinels, from the URL's host list (default port 26379). */
  readonly nodes: readonly HostAndPort[];
  /** The name the Sentinels monitor the primary under (`sentinel monitor <name> …`). */
  readonly masterName: string;
  /** `?sentinelUsername=` / `?sentinelPassword=`: when the Sentinels themselves require AUTH. */
  readonly username?: string;
  readonly password?: string;
}

/** `?tlsCaFile=…&tlsCertFile=…&tlsKeyFile=…&tlsServerName=…` on a `rediss://` URL. */
export interface TlsUrlOptions {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly serverName?: string;
}

/** What a `redis://`, `rediss://`, `redis+sentinel://` or `rediss+sentinel://` URL says. */
export interface RedisUrlOptions {
  /** The server (or, with `cluster=true`, the first startup node). Sentinel URLs: the first Sentinel. */
  readonly host: string;
  readonly port: number;
  /** Credentials of the Redis data nodes (AUTH / HELLO … AUTH). */
  readonly username?: string;
  readonly password?: string;
  readonly db: number;
  readonly tls: boolean;
  /** `?cluster=true`: connect with the Redis Cluster client; host:port is the first startup node. */
  readonly cluster: boolean;
  /** `?nodes=h1:p1,h2:p2`: more cluster startup nodes. */
  readonly nodes: readonly HostAndPort[];
  /** `?prefix=app:`: prefix of every key (default `msgport:`). */
  readonly prefix?: string;
  /** Present for `redis+sentinel://` and `rediss+sentinel://`. */
  readonly sentinel?: SentinelUrlOptions;
  /** `?failoverWindowMs=`: how long calls retry through a failover (see `failover-window.ts`). */
  readonly failoverWindowMs?: number;
  /** `?waitForReplicas=N`: writes that must survive a failover wait for N replicas (WAIT). */
  readonly waitForReplicas?: number;
  readonly tlsFiles: TlsUrlOptions;
}

export const REDIS_SCHEMES = ['redis', 'rediss', 'redis+sentinel', 'rediss+sentinel'] as const;

/** URL parameters whose values are shown in redacted URLs (none of them is a secret). */
export const REDIS_PUBLIC_PARAMS = [
  'prefix',
  'cluster',
  'nodes',
  'failoverWindowMs',
  'waitForReplicas',
  'tlsCaFile',
  'tlsCertFile',
  'tlsKeyFile',
  'tlsServerName',
  'sentinelUsername',
] as const;

/** Every parameter a Redis URL accepts; `sentinelPassword` is the one secret. */
const KNOWN_PARAMS = [...REDIS_PUBLIC_PARAMS, 'sentinelPassword'] as const;
const TLS_PARAMS = ['tlsCaFile', 'tlsCertFile', 'tlsKeyFile', 'tlsServerName'] as const;
const SENTINEL_ONLY = ['sentinelUsername', 'sentinelPassword'] as const;
const CLUSTER_ONLY = ['cluster', 'nodes'] as const;

const DEFAULT_PORT = 6379;
const DEFAULT_SENTINEL_PORT = 26379;
const BOOLEAN_TEXT: Readonly<Record<string, boolean>> = { '': true, true: true, '1': true, false: false, '0': false };

const withPort =
  (fallback: number) =>
  ({ host, port }: HostPort): HostAndPort => ({ host, port: port ?? fallback });

function rejectParams(url: BrokerUrl, names: readonly string[], why: string): void {
  for (const name of names) {
    if (url.hasParam(name)) throw new InvalidParameterError(`parameter "${name}" in ${url.redacted()} ${why}`);
  }
}

function parseDb(url: BrokerUrl, text: string): number {
  const db = text === '' ? 0 : Number(text);
  if (!/^\d*$/.test(text) || !Number.isSafeInteger(db)) {
    throw new InvalidParameterError(`the database in ${url.redacted()} must be a whole number`);
  }
  return db;
}

function wholeNumber(url: BrokerUrl, name: string, unit: string): number | undefined {
  const text = url.param(name);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new InvalidParameterError(`${name} in ${url.redacted()} must be a whole number${unit}`);
  }
  return Number(text);
}

function parseTls(url: BrokerUrl, tls: boolean): TlsUrlOptions {
  if (!tls) {
    rejectParams(url, TLS_PARAMS, 'needs TLS: use rediss:// (or rediss+sentinel://)');
    return {};
  }
  const caFile = url.param('tlsCaFile');
  const certFile = url.param('tlsCertFile');
  const keyFile = url.param('tlsKeyFile');
  const serverName = url.param('tlsServerName');
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new InvalidParameterError(`${url.redacted()} must give tlsCertFile and tlsKeyFile together`);
  }
  return {
    ...(caFile !== undefined ? { caFile } : {}),
    ...(certFile !== undefined ? { certFile } : {}),
    ...(keyFile !== undefined ? { keyFile } : {}),
    ...(serverName !== undefined ? { serverName } : {}),
  };
}

/** `<masterName>[/db]` and the Sentinel parameters of a `redis+sentinel://` URL. */
function parseSentinel(url: BrokerUrl): { sentinel: SentinelUrlOptions; db: number } {
  rejectParams(url, CLUSTER_ONLY, 'does not apply to Sentinel URLs');
  const [masterName = '', dbText = '', ...extra] = url.path.split('/');
  if (masterName === '' || extra.length > 0) {
    throw new InvalidParameterError(
      `${url.redacted()} must name the primary: ${url.scheme}://sentinels/<masterName>[/db]`,
    );
  }
  if (url.hosts.length === 0) throw new InvalidParameterError(`${url.redacted()} names no Sentinel`);
  const username = url.param('sentinelUsername');
  const password = url.param('sentinelPassword');
  return {
    db: parseDb(url, dbText),
    sentinel: {
      nodes: url.hosts.map(withPort(DEFAULT_SENTINEL_PORT)),
      masterName,
      ...(username !== undefined ? { username } : {}),
      ...(password !== undefined ? { password } : {}),
    },
  };
}

/**
 * Parses `redis[s]://[user[:password]@]host[:port][/db][?prefix=…&cluster=true&nodes=h:p,…]` and
 * `redis[s]+sentinel://[user[:password]@]s1[:port],s2[:port]/<masterName>[/db][?sentinelPassword=…]`.
 * Errors show the URL redacted and name a bad parameter without its value.
 */
export function parseRedisUrl(input: string | URL | BrokerUrl): RedisUrlOptions {
  const url = BrokerUrl.parse(input).withPublicParams(REDIS_PUBLIC_PARAMS);
  if (!(REDIS_SCHEMES as readonly string[]).includes(url.scheme)) {
    throw new InvalidParameterError(`${url.scheme}:// is not a ${REDIS_SCHEMES.map((s) => `${s}://`).join(', ')} URL`);
  }
  url.assertKnownParams(KNOWN_PARAMS);
  const tls = url.scheme.startsWith('rediss');
  const isSentinel = url.scheme.endsWith('+sentinel');
  const password = url.password();
  const prefix = url.param('prefix');
  const failoverWindowMs = wholeNumber(url, 'failoverWindowMs', ' of milliseconds');
  const waitForReplicas = wholeNumber(url, 'waitForReplicas', '');
  const common = {
    ...(url.username ? { username: url.username } : {}),
    ...(password ? { password } : {}),
    tls,
    tlsFiles: parseTls(url, tls),
    ...(prefix !== undefined ? { prefix } : {}),
    ...(failoverWindowMs !== undefined ? { failoverWindowMs } : {}),
    ...(waitForReplicas !== undefined ? { waitForReplicas } : {}),
  };
  if (isSentinel) {
    const { sentinel, db } = parseSentinel(url);
    const first = sentinel.nodes[0] as HostAndPort;
    return { ...common, host: first.host, port: first.port, db, cluster: false, nodes: [], sentinel };
  }
  rejectParams(url, SENTINEL_ONLY, 'applies to redis+sentinel:// URLs only');
  if (url.hosts.length > 1) {
    throw new InvalidParameterError(`${url.redacted()} names ${url.hosts.length} hosts; list cluster nodes in ?nodes=`);
  }
  const db = parseDb(url, url.path);
  const clusterText = url.param('cluster');
  const cluster = clusterText === undefined ? false : BOOLEAN_TEXT[clusterText.toLowerCase()];
  if (cluster === undefined) throw new InvalidParameterError(`cluster in ${url.redacted()} must be true or false`);
  if (cluster && db !== 0) {
    throw new InvalidParameterError(`Redis Cluster has only database 0; ${url.redacted()} selects ${db}`);
  }
  const nodesText = url.param('nodes');
  const nodes = nodesText === undefined ? [] : parseHostList('redis', nodesText).map(withPort(DEFAULT_PORT));
  const { host, port } = withPort(DEFAULT_PORT)(url.host ?? { host: '127.0.0.1', port: undefined });
  return { ...common, host, port, db, cluster, nodes };
}
