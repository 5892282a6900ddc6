import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { BrokerUrl, type HostPort, InvalidParameterError, type Logger, parseHostList } from '@msgport/core/driver';
import { type TlsFiles, tlsOptionsFor } from './tls-options.js';

/** Settings of the RabbitMQ transport; each can be given as a URL query parameter or in `transportOptions`. */
export interface RabbitMQSettings {
  /**
   * Isolates everything msgport keeps on the broker: queue `Q` becomes `<namespace>.Q`, and the
   * registry stream and topic exchanges get the same prefix. Default: none.
   */
  readonly namespace?: string;
  /** How long an operation waits for a lost connection to come back before failing `Unavailable`. Default 15,000. */
  readonly recoveryTimeoutMs?: number;
  /** How long the first connection may take (with retries) before `connect` fails. Default 10,000. */
  readonly connectTimeoutMs?: number;
  /**
   * The broker's deadline per call (`connect()` passes `callTimeoutMs`). Closing spends at most half
   * of it putting prefetched messages back, so that close finishes within it. Default 30,000.
   */
  readonly callTimeoutMs?: number;
  /** Messages a FIFO queue's dispatcher buffers ahead (the single active consumer's prefetch). Default 256. */
  readonly fifoPrefetch?: number;
  /**
   * The cluster's nodes, `host[:port]` each, instead of the URL's host list (which may name them too:
   * `amqp://u:p@h1:5672,h2:5672,h3:5672/vhost`). The connection uses one node at a time.
   */
  readonly hosts?: readonly string[];
  /** Try the nodes in a random order (fixed per process) instead of the listed one, to spread clients. Default false. */
  readonly shuffleHosts?: boolean;
  /** amqps:// only: any Node `tls.connect` option (`ca`, `cert`, `key`, `servername`, …); wins over the URL's files. */
  readonly tls?: TlsOptions;
  /** Where connection loss and recovery, and errors the transport absorbs, are reported (`connect()` passes the broker's). */
  readonly logger?: Logger;
}

/** Where and how amqplib connects; handed to amqplib as an object, so no URL with a password exists. */
export interface AmqpEndpoint {
  readonly protocol: 'amqp' | 'amqps';
  readonly hosts: readonly { readonly host: string; readonly port: number }[];
  readonly shuffleHosts: boolean;
  /** The URL with secrets masked: the only form that appears in messages. */
  readonly redactedUrl: string;
  /** amqps:// only: options for `tls.connect`. */
  readonly tls?: TlsOptions;
  readonly username: string;
  readonly password: string;
  readonly vhost: string;
  readonly heartbeat: number;
  readonly frameMax?: number;
  readonly channelMax?: number;
  readonly locale?: string;
}

export interface ResolvedSettings {
  readonly endpoint: AmqpEndpoint;
  /** The URL with secrets masked: the only form that appears in messages. */
  readonly redactedUrl: string;
  readonly namespace: string | undefined;
  readonly recoveryTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly callTimeoutMs: number;
  readonly fifoPrefetch: number;
  readonly logger: Logger | undefined;
}

const NAMESPACE = /^[A-Za-z0-9_-]{1,64}$/;
const TLS_PARAMETERS = ['tlsCaFile', 'tlsCertFile', 'tlsKeyFile', 'tlsServerName'] as const;
const OWN_PARAMETERS = [
  'namespace',
  'recoveryTimeoutMs',
  'connectTimeoutMs',
  'callTimeoutMs',
  'fifoPrefetch',
  'shuffleHosts',
  ...TLS_PARAMETERS,
] as const;
const AMQPLIB_PARAMETERS = ['heartbeat', 'frameMax', 'channelMax', 'locale'] as const;

/** URL parameters whose values are shown in redacted URLs (none of them is a secret). */
export const RABBITMQ_PUBLIC_PARAMS = [...OWN_PARAMETERS, ...AMQPLIB_PARAMETERS];

const defaultPort = (protocol: 'amqp' | 'amqps') => (protocol === 'amqps' ? 5671 : 5672);

export function resolveSettings(input: string | URL | BrokerUrl, options: RabbitMQSettings = {}): ResolvedSettings {
  const url = BrokerUrl.parse(input).withPublicParams(RABBITMQ_PUBLIC_PARAMS);
  if (url.scheme !== 'amqp' && url.scheme !== 'amqps') {
    throw new InvalidParameterError(`${url.scheme}:// is not an amqp:// or amqps:// URL`);
  }
  url.assertKnownParams(RABBITMQ_PUBLIC_PARAMS);
  const protocol = url.scheme;
  const namespace = options.namespace ?? (url.param('namespace') || undefined);
  if (namespace !== undefined && !NAMESPACE.test(namespace)) {
    throw new InvalidParameterError(`namespace must be 1 to 64 letters, digits, "_" or "-", got "${namespace}"`);
  }
  const listed = options.hosts !== undefined ? hostsOption(options.hosts) : url.hosts;
  const hosts = (listed.length > 0 ? listed : [{ host: 'localhost', port: undefined }]).map(
    ({ host, port }: HostPort) => ({ host, port: port ?? defaultPort(protocol) }),
  );
  const frameMax = optionalInteger(url, 'frameMax', 4_096);
  const channelMax = optionalInteger(url, 'channelMax', 0);
  const locale = url.param('locale');
  const tls = tlsOptionsFor(protocol === 'amqps', tlsFiles(url), options.tls);
  const endpoint: AmqpEndpoint = {
    protocol,
    hosts,
    shuffleHosts: options.shuffleHosts ?? optionalBoolean(url, 'shuffleHosts') ?? false,
    redactedUrl: url.redacted(),
    username: url.username ?? 'guest',
    password: url.password() ?? 'guest',
    vhost: url.path === '' ? '/' : url.path,
    heartbeat: optionalInteger(url, 'heartbeat', 0) ?? 10,
    ...(frameMax !== undefined ? { frameMax } : {}),
    ...(channelMax !== undefined ? { channelMax } : {}),
    ...(locale !== undefined ? { locale } : {}),
    ...(tls !== undefined ? { tls } : {}),
  };
  return {
    endpoint,
    redactedUrl: url.redacted(),
    namespace,
    recoveryTimeoutMs: options.recoveryTimeoutMs ?? optionalInteger(url, 'recoveryTimeoutMs', 0) ?? 15_000,
    connectTimeoutMs: options.connectTimeoutMs ?? optionalInteger(url, 'connectTimeoutMs', 1) ?? 10_000,
    callTimeoutMs: options.callTimeoutMs ?? optionalInteger(url, 'callTimeoutMs', 1) ?? 30_000,
    fifoPrefetch: options.fifoPrefetch ?? optionalInteger(url, 'fifoPrefetch', 10) ?? 256,
    logger: options.logger,
  };
}

function hostsOption(hosts: readonly string[]): HostPort[] {
  if (!Array.isArray(hosts) || hosts.length === 0 || !hosts.every((entry) => typeof entry === 'string')) {
    throw new InvalidParameterError('the hosts option must be a non-empty array of "host[:port]" strings');
  }
  return parseHostList('amqp', hosts.join(','));
}

function tlsFiles(url: BrokerUrl): TlsFiles {
  const [caFile, certFile, keyFile, serverName] = TLS_PARAMETERS.map((name) => url.param(name));
  return { caFile, certFile, keyFile, serverName };
}

function optionalBoolean(url: BrokerUrl, name: string): boolean | undefined {
  const text = url.param(name);
  if (text === undefined) return undefined;
  if (text === 'true' || text === '1' || text === '') return true;
  if (text === 'false' || text === '0') return false;
  throw new InvalidParameterError(`URL parameter ${name} must be true or false`);
}

function optionalInteger(url: BrokerUrl, name: string, min: number): number | undefined {
  const text = url.param(name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidParameterError(`URL parameter ${name} must be a whole number ≥ ${min}`);
  }
  return value;
}
