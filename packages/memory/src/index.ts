/**
 * @module @msgport/memory — the in-memory reference transport. Importing it registers `memory://`.
 * `memory://` opens a private store; `memory://name` shares one store per name within the process.
 */
import { Broker, type BrokerOptions, type Clock, systemClock } from '@msgport/core';
import { InvalidParameterError, registerTransport } from '@msgport/core/driver';
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

function clockOption(transportOptions: Readonly<Record<string, unknown>>): Clock | undefined {
  const clock = transportOptions.clock;
  if (clock === undefined) return undefined;
  if (typeof (clock as Clock | null)?.now !== 'function' || typeof (clock as Clock).setTimer !== 'function') {
    throw new InvalidParameterError('transportOptions.clock must be a Clock (now and setTimer), such as a ManualClock');
  }
  return clock as Clock;
}

registerTransport({
  schemes: ['memory'],
  open({ url, transportOptions }) {
    url.assertKnownParams([]);
    if (url.hosts.length > 1 || url.path !== '' || url.username !== undefined) {
      throw new InvalidParameterError('a memory URL is memory:// or memory://<store name>');
    }
    const clock = clockOption(transportOptions);
    const name = url.host?.host;
    if (!name) return createMemoryDriver(clock ? { clock } : {});
    const store = namedStores.get(name) ?? createMemoryStore(clock ?? systemClock);
    namedStores.set(name, store);
    return new MemoryDriver(store);
  },
});
