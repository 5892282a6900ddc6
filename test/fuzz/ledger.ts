import type { MsgportError } from '@msgport/core';

// After these the effect of a send is unknown (it may have happened), so it proves nothing.
const UNKNOWN_OUTCOME = new Set(['Timeout', 'Unavailable', 'Throttled', 'Internal']);

/**
 * Which bodies were sent and which were refused. Every body is unique to its call, so a refused
 * body that is ever received proves a partial effect: a rejected send that enqueued something.
 */
export class BodyLedger {
  readonly #refused = new Set<string>();
  readonly #accepted = new Set<string>();
  readonly violations: string[] = [];
  #next = 0;
  readonly #tag: string;

  constructor(tag: string) {
    this.#tag = tag;
  }

  body(): string {
    return `fz-${this.#tag}-${this.#next++}`;
  }

  accepted(body: string): void {
    this.#accepted.add(body);
  }

  /** The call that carried `body` failed with `error`: refused unless its effect is unknown. */
  failed(body: string, error: MsgportError | undefined): void {
    if (error === undefined || !UNKNOWN_OUTCOME.has(error.code)) this.#refused.add(body);
  }

  observed(body: unknown, where: string): void {
    if (typeof body === 'string' && this.#refused.has(body)) {
      this.violations.push(`${where}: received "${body}", whose send was rejected`);
    }
  }

  get refusedCount(): number {
    return this.#refused.size;
  }

  get acceptedCount(): number {
    return this.#accepted.size;
  }
}
