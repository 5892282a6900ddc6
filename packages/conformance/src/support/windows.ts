import type { Queue, ReceivedMessage } from '@msgport/core';
import type { CaseContext } from './context.js';
import { expectNone, type ReceiveUntilOptions, receiveExactly } from './receive.js';
import type { Timeline } from './timing.js';

/**
 * "Not visible before T − granularity": nothing is receivable now, nor just before `seconds` after
 * the timeline's origin (1 s before with a manual clock; granularity + 250 ms before in real time).
 */
export async function expectHiddenUntil(
  ctx: CaseContext,
  queue: Queue<unknown>,
  timeline: Timeline,
  seconds: number,
): Promise<void> {
  await expectNone(ctx, queue);
  const checkAt = ctx.clock ? seconds - 1 : seconds - ctx.granularityMs / 1000 - 0.25;
  if (checkAt > 0) {
    await timeline.at(checkAt);
    await expectNone(ctx, queue);
  }
}

/**
 * "Visible by T + granularity": receives `count` messages that become available `seconds` after the
 * timeline's origin. With a manual clock the clock moves to exactly T first.
 */
export async function receiveVisibleBy<T>(
  ctx: CaseContext,
  queue: Queue<T>,
  timeline: Timeline,
  seconds: number,
  count = 1,
  options: ReceiveUntilOptions = {},
): Promise<ReceivedMessage<T>[]> {
  if (ctx.clock) await timeline.at(seconds);
  const remaining = timeline.start + seconds * 1000 + ctx.granularityMs + 2000 - Date.now();
  return receiveExactly(ctx, queue, count, { ...options, timeoutMs: Math.max(1000, remaining) });
}
