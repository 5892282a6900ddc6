import type { Broker, Capabilities, ManualClock } from '@msgport/core';
import { it } from 'vitest';
import type { ConformanceOptions, QueueKind, SubscriptionKind } from '../harness.js';

/** Why a case does not run here; a case runs when none of its gates says `skip`. */
export interface Gate {
  readonly skip: boolean;
  readonly reason: string;
}

/** What every case reads: the options, derived timing, and the broker opened in `beforeAll`. */
export class CaseContext {
  readonly suite: string;
  readonly options: ConformanceOptions;
  readonly caps: Capabilities;
  readonly clock: ManualClock | undefined;
  readonly queueKind: QueueKind;
  readonly subscriptionKinds: readonly SubscriptionKind[];
  /** Slack for time assertions (real time); 0 with a manual clock, where time is exact. */
  readonly granularityMs: number;
  /** Length of a "nothing arrives" watch in whole seconds (real time). */
  readonly quietSeconds: number;
  readonly timeoutMs: number;
  #broker: Broker | undefined;
  readonly #created = { queues: new Set<string>(), topics: new Set<string>() };

  constructor(options: ConformanceOptions) {
    this.suite = options.name;
    this.options = options;
    this.caps = options.capabilities;
    this.clock = options.clock;
    this.queueKind = options.queueKind ?? 'standard';
    this.subscriptionKinds = options.subscriptionKinds ?? ['raw', 'envelope'];
    this.granularityMs = options.clock ? 0 : (options.timeGranularityMs ?? 1000);
    this.quietSeconds = Math.max(1, Math.ceil((options.quietWindowMs ?? 1000) / 1000));
    this.timeoutMs = options.caseTimeoutMs ?? (options.clock ? 10_000 : 30_000);
  }

  /** The broker under test; available inside cases (opened in `beforeAll`). */
  get broker(): Broker {
    if (!this.#broker) throw new Error('conformance: the broker is not connected yet (use it inside a case)');
    return this.#broker;
  }

  async open(): Promise<void> {
    this.#broker = await this.options.harness.connect();
  }

  /** Deletes what the cases created (best effort), closes the broker and disposes the harness. */
  async close(): Promise<void> {
    const broker = this.#broker;
    this.#broker = undefined;
    if (broker && !broker.closed) {
      if (this.options.cleanup ?? true) {
        await Promise.allSettled([
          ...[...this.#created.queues].map((name) => broker.deleteQueue(name)),
          ...[...this.#created.topics].map((name) => broker.deleteTopic(name)),
        ]);
      }
      await broker.close();
    }
    await this.options.harness.dispose?.();
  }

  /** One more broker on the transport, for the cases that close one. The caller closes it. */
  connectAnother(): Promise<Broker> {
    return this.options.harness.connect();
  }

  /** Remembers a created resource for cleanup after the suite. */
  track(kind: 'queue' | 'topic', name: string): void {
    (kind === 'queue' ? this.#created.queues : this.#created.topics).add(name);
  }

  /** The general cases' queue type is FIFO (`queueKind: 'fifo'`). */
  get fifoRun(): boolean {
    return this.queueKind === 'fifo';
  }
}

export type CaseBody = () => Promise<void>;

/**
 * Registers one case as `${suite} › ${id} ${text}`. Gated cases are registered with `it.skipIf`, and
 * their title names the reason, so a report shows what did not run and why.
 */
export function defineCase(ctx: CaseContext, id: string, text: string, body: CaseBody, ...gates: Gate[]): void {
  const blocking = gates.filter((gate) => gate.skip);
  const reason = blocking.length > 0 ? ` [skipped: ${blocking.map((gate) => gate.reason).join('; ')}]` : '';
  it.skipIf(blocking.length > 0)(`${ctx.suite} › ${id} ${text}${reason}`, { timeout: ctx.timeoutMs }, body);
}
