import { InvalidParameterError, redactUrl } from '@msgport/core/driver';

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
  /** Messages a FIFO queue's dispatcher buffers ahead (the single active consumer's prefetch). Default 256. */
  readonly fifoPrefetch?: number;
}

export interface ResolvedSettings {
  /** The URL handed to amqplib: msgport's parameters removed, `heartbeat` defaulted to 10 s. */
  readonly amqpUrl: string;
  readonly namespace: string | undefined;
  readonly recoveryTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly fifoPrefetch: number;
}

const NAMESPACE = /^[A-Za-z0-9_-]{1,64}$/;
const OWN_PARAMETERS = ['namespace', 'recoveryTimeoutMs', 'connectTimeoutMs', 'fifoPrefetch'] as const;

export function resolveSettings(url: string | URL, options: RabbitMQSettings = {}): ResolvedSettings {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch (cause) {
    throw new InvalidParameterError(`"${redactUrl(url)}" is not an amqp:// or amqps:// URL`, { cause });
  }
  if (parsed.protocol !== 'amqp:' && parsed.protocol !== 'amqps:') {
    throw new InvalidParameterError(`"${redactUrl(url)}" is not an amqp:// or amqps:// URL`);
  }
  const query = parsed.searchParams;
  const namespace = options.namespace ?? (query.get('namespace') || undefined);
  if (namespace !== undefined && !NAMESPACE.test(namespace)) {
    throw new InvalidParameterError(`namespace must be 1 to 64 letters, digits, "_" or "-", got "${namespace}"`);
  }
  const settings: ResolvedSettings = {
    amqpUrl: '',
    namespace,
    recoveryTimeoutMs: options.recoveryTimeoutMs ?? integer(query, 'recoveryTimeoutMs', 15_000, 0),
    connectTimeoutMs: options.connectTimeoutMs ?? integer(query, 'connectTimeoutMs', 10_000, 0),
    fifoPrefetch: options.fifoPrefetch ?? integer(query, 'fifoPrefetch', 256, 10),
  };
  for (const name of OWN_PARAMETERS) query.delete(name);
  if (!query.has('heartbeat')) query.set('heartbeat', '10');
  return { ...settings, amqpUrl: parsed.toString() };
}

function integer(query: URLSearchParams, name: string, fallback: number, min: number): number {
  const text = query.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidParameterError(`URL parameter ${name} must be a whole number ≥ ${min}, got "${text}"`);
  }
  return value;
}
