import type { CaseContext } from './context.js';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Lets pending promise chains (a receive that is registering its long poll) run. */
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The broker's notion of now: the manual clock, or the wall clock. */
export function nowMs(ctx: CaseContext): number {
  return ctx.clock ? ctx.clock.now() : Date.now();
}

/** Lets `seconds` pass: advances the manual clock, or waits in real time. */
export async function pass(ctx: CaseContext, seconds: number): Promise<void> {
  if (seconds <= 0) return;
  if (ctx.clock) await ctx.clock.advance(seconds);
  else await sleep(seconds * 1000);
}

/** A time origin; `at(s)` moves to origin + s seconds (advancing the clock or sleeping). */
export class Timeline {
  readonly start: number;
  readonly #ctx: CaseContext;

  constructor(ctx: CaseContext) {
    this.#ctx = ctx;
    this.start = nowMs(ctx);
  }

  elapsedMs(): number {
    return nowMs(this.#ctx) - this.start;
  }

  /** Moves to `seconds` after the origin; does nothing when that moment has passed. */
  async at(seconds: number): Promise<void> {
    const remainingMs = this.start + seconds * 1000 - nowMs(this.#ctx);
    if (remainingMs <= 0) return;
    if (this.#ctx.clock) await this.#ctx.clock.advance(remainingMs / 1000);
    else await sleep(remainingMs);
  }
}

/** Tracks whether a promise has settled, without consuming its outcome. */
export function track<T>(promise: Promise<T>): { readonly settled: () => boolean; readonly promise: Promise<T> } {
  let settled = false;
  promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  return { settled: () => settled, promise };
}
