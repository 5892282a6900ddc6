import type {
  Driver,
  DriverBatchResult,
  DriverPublishEntry,
  DriverSendEntry,
  DriverSendResult,
} from '../../src/driver/driver.js';
import { FakeDriver } from '../fake-driver.js';

export interface RefusingDriver {
  readonly driver: Driver;
  /** Records every call; set `failWith` to make every call throw. */
  readonly fake: FakeDriver;
  /** Entries the driver accepted, in order. */
  readonly sent: DriverSendEntry[];
  /** Picks the entries a send or publish refuses (as per-entry batch failures). */
  refuse: (entry: DriverSendEntry) => boolean;
}

/** A FakeDriver whose sends and publishes can refuse single entries; message ids are `<label>-<n>`. */
export function refusingDriver(label: string): RefusingDriver {
  const fake = new FakeDriver();
  const control: RefusingDriver = { driver: fake, fake, sent: [], refuse: () => false };
  const split = (entries: readonly (DriverSendEntry | DriverPublishEntry)[]): DriverBatchResult<DriverSendResult> => {
    const result: DriverBatchResult<DriverSendResult> = { successful: [], failed: [] };
    for (const entry of entries) {
      if (control.refuse(entry as DriverSendEntry)) {
        result.failed.push({ id: entry.id, code: 'InvalidParameter', message: 'refused', senderFault: true });
      } else {
        control.sent.push(entry as DriverSendEntry);
        result.successful.push({ id: entry.id, messageId: `${label}-${control.sent.length}` });
      }
    }
    return result;
  };
  const overrides: Partial<Driver> = {
    sendBatch: async (queue, entries) => split(await fake.sendBatch(queue, entries).then(() => entries)),
    publishBatch: async (topic, entries) => split(await fake.publishBatch(topic, entries).then(() => entries)),
  };
  const driver = new Proxy(fake, {
    get(target, property) {
      if (property in overrides) return overrides[property as keyof Driver];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as Driver;
  return Object.assign(control, { driver });
}
