import type { Capabilities } from './capabilities.js';
import type { Driver } from './driver/driver.js';
import { ClosedError } from './errors.js';
import type { Logger } from './logging/logger.js';
import { resolveLogger } from './logging/resolve-logger.js';

/** A running consumer as its broker sees it: something to stop when the broker closes. */
export interface BrokerConsumer {
  stopForBrokerClose(): Promise<void>;
}

/**
 * What the consumer runtime needs from the broker behind a queue handle: its logger, its
 * transport's capabilities, and a register of running consumers, so `broker.close()` stops them
 * (with a `stopped` event that says so) before the transport goes away.
 */
export class BrokerRuntime {
  readonly logger: Logger;
  readonly #driver: Driver;
  readonly #consumers = new Set<BrokerConsumer>();
  #closing = false;

  constructor(driver: Driver, logger: Logger) {
    this.#driver = driver;
    this.logger = logger;
  }

  get capabilities(): Capabilities {
    return this.#driver.capabilities;
  }

  get closing(): boolean {
    return this.#closing;
  }

  assertOpen(): void {
    if (this.#closing) throw new ClosedError('cannot start a consumer: the broker is closing or closed');
  }

  register(consumer: BrokerConsumer): void {
    this.assertOpen();
    this.#consumers.add(consumer);
  }

  unregister(consumer: BrokerConsumer): void {
    this.#consumers.delete(consumer);
  }

  /** Refuses new consumers and stops the running ones gracefully. */
  async stopConsumers(): Promise<void> {
    this.#closing = true;
    await Promise.all([...this.#consumers].map((consumer) => consumer.stopForBrokerClose()));
  }
}

// Keyed by the object every handle of one broker shares (its driver caller), so queue and topic
// handles reach their broker's runtime without holding the broker itself.
const runtimes = new WeakMap<object, BrokerRuntime>();

export function attachBrokerRuntime(owner: object, runtime: BrokerRuntime): void {
  runtimes.set(owner, runtime);
}

/** The runtime attached to `owner`, or a standalone one (default logger) for handles made without a broker. */
export function brokerRuntimeOf(owner: object, driver: Driver): BrokerRuntime {
  let runtime = runtimes.get(owner);
  if (!runtime) {
    runtime = new BrokerRuntime(driver, resolveLogger(undefined));
    runtimes.set(owner, runtime);
  }
  return runtime;
}
