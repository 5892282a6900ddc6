import type { Broker, Capabilities, ManualClock } from '@msgport/core';

/** How the suite reaches the transport under test. */
export interface ConformanceHarness {
  /** Opens a broker on the transport under test. Called once per test file (beforeAll). */
  connect(): Promise<Broker>;
  /** Releases what `connect` opened, after the suite (the broker itself is closed by the suite). */
  dispose?(): Promise<void>;
}

export type QueueKind = 'standard' | 'fifo';
export type SubscriptionKind = 'raw' | 'envelope';

export interface ConformanceOptions {
  /** Shown in the test names, e.g. `memory`, `redis`, `sqs (fifo)`. */
  readonly name: string;
  readonly harness: ConformanceHarness;
  /** What the transport declares; gated cases run only where it claims the capability. */
  readonly capabilities: Capabilities;
  /** With a manual clock the suite advances time instead of waiting (memory transport). */
  readonly clock?: ManualClock;
  /** Queue type used by the general cases (A–G, J, K). Default `standard`. */
  readonly queueKind?: QueueKind;
  /** Subscription kinds the topic cases run for. Default both. */
  readonly subscriptionKinds?: readonly SubscriptionKind[];
  /**
   * Real-time transports: the resolution of the broker's clock; time assertions allow this much
   * slack. Default 1000 ms without a manual clock.
   */
  readonly timeGranularityMs?: number;
}
