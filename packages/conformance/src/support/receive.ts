import type { Queue, ReceivedMessage } from '@msgport/core';
import { expect } from 'vitest';
import type { CaseContext } from './context.js';
import { sleep, tick } from './timing.js';

export interface ReceiveUntilOptions {
  /** Per receive call, 1–10 (default 10). */
  readonly maxMessages?: number;
  readonly visibilityTimeoutSeconds?: number;
  /** Real time: stop trying after this long. Default 5 s + granularity. */
  readonly timeoutMs?: number;
  /** Delete every message as soon as it arrives. */
  readonly deleteEach?: boolean;
}

/**
 * Receives until `count` messages arrived or time is up, never assuming one receive returns all
 * that is available. With a manual clock it short-polls until three polls in a row come back empty
 * (time does not move, so nothing more can appear); in real time it long-polls (1 s) until a deadline.
 */
export async function receiveUntil<T>(
  ctx: CaseContext,
  queue: Queue<T>,
  count: number,
  options: ReceiveUntilOptions = {},
): Promise<ReceivedMessage<T>[]> {
  const out: ReceivedMessage<T>[] = [];
  const deadline = Date.now() + (options.timeoutMs ?? 5000 + ctx.granularityMs);
  let emptyPolls = 0;
  while (out.length < count) {
    const batch = await queue.receive({
      maxMessages: Math.min(options.maxMessages ?? 10, count - out.length),
      waitTimeSeconds: ctx.clock ? 0 : 1,
      ...(options.visibilityTimeoutSeconds !== undefined
        ? { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds }
        : {}),
    });
    out.push(...batch);
    if (options.deleteEach) for (const message of batch) await queue.delete(message);
    if (batch.length > 0) {
      emptyPolls = 0;
      continue;
    }
    if (ctx.clock) {
      if (++emptyPolls >= 3) break;
      await tick();
    } else if (Date.now() >= deadline) {
      break;
    }
  }
  return out;
}

/** `receiveUntil`, asserting exactly `count` arrived. */
export async function receiveExactly<T>(
  ctx: CaseContext,
  queue: Queue<T>,
  count: number,
  options: ReceiveUntilOptions = {},
): Promise<ReceivedMessage<T>[]> {
  const messages = await receiveUntil(ctx, queue, count, options);
  expect(messages.map((m) => m.rawBody).length, `messages received from ${queue.name}`).toBe(count);
  return messages;
}

/** Receives one message (failing when none arrives in time). */
export async function receiveOne<T>(
  ctx: CaseContext,
  queue: Queue<T>,
  options: ReceiveUntilOptions = {},
): Promise<ReceivedMessage<T>> {
  const [message] = await receiveExactly(ctx, queue, 1, { ...options, maxMessages: 1 });
  return message as ReceivedMessage<T>;
}

/** A short poll returns nothing right now. */
export async function expectNone(ctx: CaseContext, queue: Queue<unknown>): Promise<void> {
  const got = await queue.receive({ maxMessages: 10, waitTimeSeconds: 0 });
  expect(
    got.map((m) => m.rawBody),
    `expected no receivable message in ${queue.name} (${ctx.suite})`,
  ).toEqual([]);
}

/**
 * Nothing arrives during a quiet window: a short poll with a manual clock (exact), otherwise a long
 * poll of `quietSeconds`.
 */
export async function expectQuiet(ctx: CaseContext, queue: Queue<unknown>): Promise<void> {
  const got = await queue.receive({ maxMessages: 10, waitTimeSeconds: ctx.clock ? 0 : ctx.quietSeconds });
  expect(
    got.map((m) => m.rawBody),
    `expected ${queue.name} to stay quiet`,
  ).toEqual([]);
}

/** A rejected operation left nothing behind: nothing receivable and (with stats) nothing stored. */
export async function expectNothingEnqueued(ctx: CaseContext, queue: Queue<unknown>): Promise<void> {
  await expectQuiet(ctx, queue);
  if (ctx.caps.queueStats) {
    const stats = await queue.getAttributes();
    expect({ visible: stats.visible, inFlight: stats.inFlight, delayed: stats.delayed }).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
    });
  }
}

/** Receives and counts everything until a quiet window passes (deleting as it goes). */
export async function drain<T>(ctx: CaseContext, queue: Queue<T>, limit = 100): Promise<ReceivedMessage<T>[]> {
  const out: ReceivedMessage<T>[] = [];
  while (out.length < limit) {
    const batch = await queue.receive({ maxMessages: 10, waitTimeSeconds: ctx.clock ? 0 : ctx.quietSeconds });
    if (batch.length === 0) break;
    out.push(...batch);
    for (const message of batch) await queue.delete(message);
  }
  return out;
}

/**
 * Retries an assertion until it passes: for broker-side counters that are only "approximate" and
 * "eventually" right. With a manual clock a few immediate retries (nothing is asynchronous in time).
 */
export async function eventually<T>(ctx: CaseContext, check: () => Promise<T>, timeoutMs?: number): Promise<T> {
  const deadline = Date.now() + (timeoutMs ?? 5000 + ctx.granularityMs);
  for (let attempt = 1; ; attempt++) {
    try {
      return await check();
    } catch (error) {
      if (ctx.clock ? attempt >= 3 : Date.now() >= deadline) throw error;
      await (ctx.clock ? tick() : sleep(250));
    }
  }
}
