/**
 * @module @msgport/memory — the in-memory reference transport. Importing it registers `memory://`.
 * `memory://` opens a private store; `memory://name` shares one store per name within the process.
 */
import { Broker, type BrokerOptions, type Clock, type ConnectOptions, systemClock } from '@msgport/core';
import { registerTransport } from '@msgport/core/driver';
import { MemoryDriver } from './memory-driver.js';
import { createMemoryStore, type MemoryStore } from './memory-store.js';

export { memoryCapabilities } from './capabilities.js';
export { MemoryDriver, TRANSPORT_NAME } from './memory-driver.js';
export type { MemoryStore } from './memory-store.js';

export interface MemoryOptions extends BrokerOptions {
  /** Time source; pass a `ManualClock` to advance visibility timeouts, delays and retention in tests. */
  readonly clock?: Clock;
}

const namedStores = new Map<string, MemoryStore>();

export function createMemoryDriver(options: { clock?: Clock } = {}): MemoryDriver {
  return new MemoryDriver(createMemoryStore(options.clock ?? systemClock));
}

/** A broker over a new private in-memory store. */
export function createMemoryBroker(options: MemoryOptions = {}): Broker {
  return new Broker(createMemoryDriver(options), options);
}

function clockOption(options: ConnectOptions): Clock | undefined {
  const clock = options.transportOptions?.clock;
  return clock && typeof (clock as Clock).now === 'function' ? (clock as Clock) : undefined;
}

registerTransport({
  schemes: ['memory'],
  open(url, options) {
    const clock = clockOption(options);
    const name = url.hostname;
    if (!name) return createMemoryDriver(clock ? { clock } : {});
    const store = namedStores.get(name) ?? createMemoryStore(clock ?? systemClock);
    namedStores.set(name, store);
    return new MemoryDriver(store);
  },
});
