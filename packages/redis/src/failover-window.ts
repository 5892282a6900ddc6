/** Default failover windows: a Cluster or Sentinel failover takes seconds; a single server has none. */
export const DEFAULT_FAILOVER_WINDOW_MS = { standalone: 0, cluster: 10_000, sentinel: 10_000 } as const;

const FIRST_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 1_000;

export interface FailoverWindowOptions {
  /** How long after its first failure a call keeps retrying (0: never). */
  readonly windowMs: number;
  /** No retry starts after this many ms from the call's start (the call's own deadline). */
  readonly budgetMs: number;
  /** Errors worth retrying: a failover, a lost connection — never a wrong password. */
  readonly retryable: (error: unknown) => boolean;
  /** Checked before each retry: a closed driver stops retrying at once. */
  readonly stopped?: () => boolean;
}

export interface WindowOutcome<T> {
  readonly value: T;
  /** Failed attempts before the one that succeeded. */
  readonly failures: number;
  /** Milliseconds from the first failure to the success (0 without failures). */
  readonly recoveredAfterMs: number;
}

/** Exponential backoff from 50 ms, capped at 1 s, with ±20 % jitter so clients do not retry in step. */
export function backoffMs(retry: number): number {
  const base = Math.min(FIRST_BACKOFF_MS * 2 ** retry, MAX_BACKOFF_MS);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` and, on a retryable error, again with backoff until it succeeds, the window
 * (counted from the first failure) closes or the call's budget is spent; then the last error is
 * thrown. This is what lets a send issued during a Redis Cluster or Sentinel failover succeed
 * late instead of failing. Only use it for attempts that are safe to repeat: every Redis call of
 * the driver is, because its scripts are idempotent or at-least-once (see docs/transports/redis.md).
 */
export async function withinFailoverWindow<T>(
  attempt: () => Promise<T>,
  options: FailoverWindowOptions,
): Promise<WindowOutcome<T>> {
  const started = Date.now();
  let firstFailure: number | undefined;
  for (let failures = 0; ; failures++) {
    try {
      const value = await attempt();
      return { value, failures, recoveredAfterMs: firstFailure === undefined ? 0 : Date.now() - firstFailure };
    } catch (error) {
      if (!options.retryable(error) || options.stopped?.()) throw error;
      const now = Date.now();
      firstFailure ??= now;
      const until = Math.min(firstFailure + options.windowMs, started + options.budgetMs);
      if (now >= until) throw error;
      await sleep(Math.min(backoffMs(failures), until - now));
      if (options.stopped?.()) throw error;
    }
  }
}
