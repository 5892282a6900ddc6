import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Broker, type BrokerOptions } from './broker.js';
import { DEADLINE_PARAMS, type DeadlineOptions, type Deadlines, resolveDeadlines } from './deadlines.js';
import type { Driver } from './driver/driver.js';
import { checkedRetryOptions } from './driver-call.js';
import { rememberEndpoint } from './driver-endpoint.js';
import { isMsgportError, TimeoutError, UnsupportedCapabilityError } from './errors.js';
import type { Logger } from './logging/logger.js';
import { resolveLogger } from './logging/resolve-logger.js';
import { Redactor, rememberRedactor } from './secrets.js';
import { markSanitized, messageOf, sanitizeMsgportError, wrapRawError } from './transport-cause.js';
import { BrokerUrl } from './url/broker-url.js';
import { optionsObject } from './validation/options.js';

/** What `connect()` hands a transport: the parsed URL and everything core resolved for it. */
export interface TransportContext {
  /** Core's own parameters (`connectTimeoutMs`, `callTimeoutMs`) already removed. */
  readonly url: BrokerUrl;
  readonly deadlines: Deadlines;
  readonly logger: Logger;
  /** Transport-specific settings (a client instance, a clock, …); see each transport's README. */
  readonly transportOptions: Readonly<Record<string, unknown>>;
}

/** What a transport package registers so `connect(url)` can open it. */
export interface TransportFactory {
  /** URL schemes without the colon, e.g. `['redis', 'rediss']`. */
  readonly schemes: readonly string[];
  /** Query parameters whose values hold no secret: shown in the redacted URL. Others print as `***`. */
  readonly publicParams?: readonly string[];
  /** Opens a driver; must settle within `context.deadlines.connectTimeoutMs` (core enforces it too). */
  open(context: TransportContext): Promise<Driver> | Driver;
}

export interface ConnectOptions extends BrokerOptions, DeadlineOptions {
  /** Transport-specific settings (a client instance, a clock, …); see each transport's README. */
  readonly transportOptions?: Readonly<Record<string, unknown>>;
}

const factories = new Map<string, TransportFactory>();

// Packages tried when a scheme has no registered transport yet; importing one registers it.
// Companions come first: @msgport/sns registers sqs:// (it imports @msgport/sqs) with SNS topics,
// so an application that installed it gets topics; one with @msgport/sqs alone gets queues.
const COMPANIONS: Readonly<Record<string, string>> = { sqs: '@msgport/sns' };
const KNOWN_PACKAGES: Readonly<Record<string, string>> = {
  memory: '@msgport/memory',
  redis: '@msgport/redis',
  rediss: '@msgport/redis',
  'redis+sentinel': '@msgport/redis',
  'rediss+sentinel': '@msgport/redis',
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

/**
 * Loads a transport package: from core's own resolution first, then from the application's
 * directory (strict layouts such as pnpm do not let core see the application's dependencies).
 */
async function importTransport(scheme: string, pkg: string): Promise<void> {
  try {
    await import(pkg);
    return;
  } catch {
    try {
      const fromApp = createRequire(pathToFileURL(`${process.cwd()}/`)).resolve(pkg);
      await import(pathToFileURL(fromApp).href);
    } catch {
      throw new UnsupportedCapabilityError(`no transport for "${scheme}://" is installed; add the package ${pkg}`);
    }
  }
}

async function factoryFor(scheme: string): Promise<TransportFactory> {
  let factory = factories.get(scheme);
  const pkg = KNOWN_PACKAGES[scheme];
  if (!factory && pkg) {
    const companion = COMPANIONS[scheme];
    const loaded =
      companion !== undefined &&
      (await importTransport(scheme, companion).then(
        () => true,
        () => false,
      ));
    if (!loaded) await importTransport(scheme, pkg);
    factory = factories.get(scheme);
  }
  if (!factory) {
    throw new UnsupportedCapabilityError(
      `no transport is registered for "${scheme}://" (registered: ${registeredSchemes().join(', ') || 'none'})`,
    );
  }
  return factory;
}

/** Opens a broker for `url`, e.g. `memory://`, `redis://localhost:6379`, `amqp://…`, `sqs://?region=…`. */
export async function connect(url: string | URL | BrokerUrl, options?: ConnectOptions | null): Promise<Broker> {
  const given = optionsObject<ConnectOptions>('connect options', options);
  checkedRetryOptions(given.retry);
  const parsed = BrokerUrl.parse(url);
  const deadlines = resolveDeadlines(parsed, given);
  const logger = resolveLogger(given.logger);
  const transportOptions = optionsObject<Record<string, unknown>>('transportOptions', given.transportOptions);
  const factory = await factoryFor(parsed.scheme);
  const context: TransportContext = {
    url: parsed.withoutParams(DEADLINE_PARAMS).withPublicParams(factory.publicParams ?? []),
    deadlines,
    logger,
    transportOptions,
  };
  const redactor = Redactor.forUrl(context.url, factory.publicParams ?? []);
  const driver = await withinConnectDeadline(context, redactor, () => factory.open(context));
  rememberRedactor(driver, redactor);
  rememberEndpoint(driver, context.url.redacted());
  return new Broker(driver, { ...given, deadlines, logger });
}

/** Core's own bound on `open()`, whatever the transport does; a driver that arrives late is closed. */
async function withinConnectDeadline(
  context: TransportContext,
  redactor: Redactor,
  open: () => Promise<Driver> | Driver,
): Promise<Driver> {
  const opening = Promise.resolve().then(open);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      opening
        .then((late) => late.close())
        .catch(() => {
          // The late driver failed or could not close; the caller already has its Timeout.
        });
      reject(
        markSanitized(
          new TimeoutError(
            `connecting to ${context.url.redacted()} took longer than ${context.deadlines.connectTimeoutMs} ms`,
          ),
        ),
      );
    }, context.deadlines.connectTimeoutMs + CONNECT_GRACE_MS);
  });
  try {
    return await Promise.race([opening, expired]);
  } catch (error) {
    // Whatever the transport threw, the caller gets it without raw causes or the URL's secrets.
    if (isMsgportError(error)) throw sanitizeMsgportError(error, redactor);
    throw wrapRawError(
      error,
      'Internal',
      `the ${context.url.scheme}:// transport failed to open ${context.url.redacted()}: ${messageOf(error)}`,
      redactor,
    );
  } finally {
    clearTimeout(timer);
  }
}

// Transports enforce the connect deadline themselves and report why; core's bound is the backstop.
const CONNECT_GRACE_MS = 1_000;
