import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Broker, type BrokerOptions } from './broker.js';
import type { Driver } from './driver/driver.js';
import { InvalidParameterError, UnsupportedCapabilityError } from './errors.js';
import { redactUrl } from './redact.js';

/** What a transport package registers so `connect(url)` can open it. */
export interface TransportFactory {
  /** URL schemes without the colon, e.g. `['redis', 'rediss']`. */
  readonly schemes: readonly string[];
  open(url: URL, options: ConnectOptions): Promise<Driver> | Driver;
}

export interface ConnectOptions extends BrokerOptions {
  /** Transport-specific settings (a client instance, a clock, …); see each transport's README. */
  readonly transportOptions?: Readonly<Record<string, unknown>>;
}

const factories = new Map<string, TransportFactory>();

// Packages tried when a scheme has no registered transport yet; importing one registers it.
const KNOWN_PACKAGES: Readonly<Record<string, string>> = {
  memory: '@msgport/memory',
  redis: '@msgport/redis',
  rediss: '@msgport/redis',
  amqp: '@msgport/rabbitmq',
  amqps: '@msgport/rabbitmq',
  sqs: '@msgport/sqs',
};

export function registerTransport(factory: TransportFactory): void {
  for (const scheme of factory.schemes) factories.set(scheme.toLowerCase(), factory);
}

export function registeredSchemes(): string[] {
  return [...factories.keys()].sort();
}

function parseUrl(url: string | URL): URL {
  try {
    return new URL(String(url));
  } catch (cause) {
    throw new InvalidParameterError(`"${redactUrl(url)}" is not a broker URL such as memory:// or redis://host:6379`, {
      cause,
    });
  }
}

/**
 * Loads a transport package: from core's own resolution first, then from the application's
 * directory (strict layouts such as pnpm do not let core see the application's dependencies).
 */
async function importTransport(scheme: string, pkg: string): Promise<void> {
  try {
    await import(pkg);
    return;
  } catch (first) {
    try {
      const fromApp = createRequire(pathToFileURL(`${process.cwd()}/`)).resolve(pkg);
      await import(pathToFileURL(fromApp).href);
    } catch {
      throw new UnsupportedCapabilityError(`no transport for "${scheme}://" is installed; add the package ${pkg}`, {
        cause: first,
      });
    }
  }
}

/** Opens a broker for `url`, e.g. `memory://`, `redis://localhost:6379`, `amqp://…`, `sqs://?region=…`. */
export async function connect(url: string | URL, options: ConnectOptions = {}): Promise<Broker> {
  const parsed = parseUrl(url);
  const scheme = parsed.protocol.replace(/:$/, '').toLowerCase();
  let factory = factories.get(scheme);
  const pkg = KNOWN_PACKAGES[scheme];
  if (!factory && pkg) {
    await importTransport(scheme, pkg);
    factory = factories.get(scheme);
  }
  if (!factory) {
    throw new UnsupportedCapabilityError(
      `no transport is registered for "${scheme}://" (registered: ${registeredSchemes().join(', ') || 'none'})`,
    );
  }
  const driver = await factory.open(parsed, options);
  return new Broker(driver, options);
}
