import type { CapabilityName, FilterPolicyScope } from '@msgport/core';
import type { CaseContext, Gate } from './context.js';

/** Runs only where the transport declares every named capability. */
export function needs(ctx: CaseContext, ...names: CapabilityName[]): Gate {
  const missing = names.filter((name) => !ctx.caps[name]);
  return { skip: missing.length > 0, reason: `needs capability ${missing.join(', ')}` };
}

/** Runs only where the transport filters on `scope`. */
export function needsFilterScope(ctx: CaseContext, scope: FilterPolicyScope): Gate {
  return { skip: !ctx.caps.filterPolicyScopes.includes(scope), reason: `needs filter policy scope ${scope}` };
}

/** AWS-scale waits (retention 60 s, dedup window 5 min, purge 60 s) run only on a manual clock. */
export function needsManualClock(ctx: CaseContext, what: string): Gate {
  return { skip: ctx.clock === undefined, reason: `${what} needs a manual clock (too slow in real time)` };
}

/** Cases meaningful on standard queues only (e.g. per-message delay) when the run uses FIFO queues. */
export function needsStandardRun(ctx: CaseContext, why: string): Gate {
  return { skip: ctx.queueKind !== 'standard', reason: `standard queues only: ${why}` };
}
