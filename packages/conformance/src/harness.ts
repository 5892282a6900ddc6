import type { Broker, Capabilities, ManualClock } from '@msgport/core';

/** How the suite reaches the transport under test. */
export interface ConformanceHarness {
  /**
   * Opens a broker on the transport under test. Called once per suite run (beforeAll); the cases
   * about closing a broker call it once more each and close what they get.
   */
  connect(): Promise<Broker>;
  /** Releases what `connect` opened, after the suite (the broker itself is closed by the suite). */
  dispose?(): Promise<void>;
}

export type QueueKind = 'standard' | 'fifo';
export type SubscriptionKind = 'raw' | 'envelope';

/** The case groups of research §7 this suite implements. */
export type CaseGroup = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K';

export interface ConformanceOptions {
  /** Shown in the test names, e.g. `memory`, `redis`, `sqs (fifo)`. */
  readonly name: string;
  readonly harness: ConformanceHarness;
  /** What the transport declares; gated cases run only where it claims the capability. */
  readonly capabilities: Capabilities;
  /**
   * With a manual clock the suite advances time instead of waiting (memory transport); the cases
   * then share that clock and must run one after another (vitest's default). Without a clock every
   * case is safe to run concurrently (`--sequence.concurrent`).
   */
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
  /**
   * Real-time transports: how long "nothing arrives" is watched (a long poll of this many whole
   * seconds, at least 1). Default 1000 ms. Ignored with a manual clock (a short poll is exact).
   */
  readonly quietWindowMs?: number;
  /** Which case groups to register. Default all (A–I and K). */
  readonly groups?: readonly CaseGroup[];
  /** Per-case timeout. Default 10 s with a manual clock, 30 s in real time. */
  readonly caseTimeoutMs?: number;
  /**
   * Delete the queues and topics the cases created after the suite (best effort). Default true;
   * transports whose `harness.dispose` drops everything may turn it off.
   */
  readonly cleanup?: boolean;
}
