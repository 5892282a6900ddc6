import { randomBytes } from 'node:crypto';
import { type Broker, type ConnectOptions, connect } from '@msgport/core';
import { CapturingLogger } from './scan.js';

/** One way to fail that must not leak a secret. */
export interface SecretCase {
  readonly name: string;
  /** Strings that must appear in no error rendering, cause, log line, event or console output. */
  readonly secrets: readonly string[];
  /** Performs the failing action; it must reject with a `MsgportError`. */
  readonly run: (probe: Probe) => Promise<unknown>;
  /**
   * Set when the case fails today because of transport code: names the file to fix. The case
   * then runs as `it.fails`, so it turns red (and must be unmarked) once the transport is fixed.
   */
  readonly knownFailure?: string;
  /** The codes the failure may have, when the case is about one situation (a missing queue…). */
  readonly codes?: readonly string[];
  /** The failure must arrive within this many milliseconds. Default 6,000. */
  readonly withinMs?: number;
}

/** Short deadlines keep the matrix fast; connect() and every call are bounded by them. */
export const PROBE_DEADLINES = { connectTimeoutMs: 1_500, callTimeoutMs: 2_000 } as const;

/** What a case gets: a capturing logger, an event sink, and brokers that are closed afterwards. */
export class Probe {
  readonly logger = new CapturingLogger();
  readonly events: unknown[] = [];
  readonly #brokers: Broker[] = [];
  readonly #cleanups: (() => Promise<unknown>)[] = [];

  async connect(url: unknown, options: ConnectOptions = {}): Promise<Broker> {
    const broker = await connect(url as string, {
      logger: this.logger,
      retry: { attempts: 1 },
      ...PROBE_DEADLINES,
      ...options,
    });
    this.#brokers.push(broker);
    return broker;
  }

  /** Connects and, since some transports connect lazily, makes one call that needs the broker. */
  async connectAndList(url: unknown, options: ConnectOptions = {}): Promise<unknown> {
    const broker = await this.connect(url, options);
    return broker.listQueues();
  }

  onCleanup(cleanup: () => Promise<unknown>): void {
    this.#cleanups.push(cleanup);
  }

  async cleanup(): Promise<void> {
    for (const cleanup of this.#cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    await Promise.all(this.#brokers.splice(0).map((broker) => broker.close().catch(() => undefined)));
  }
}

/** A secret no other text contains: letters and digits only unless asked, at least 12 characters. */
export function secret(tag: string): string {
  return `${tag}Zq${randomBytes(5).toString('hex')}`;
}
