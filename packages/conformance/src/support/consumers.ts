import {
  type ConsumeOptions,
  type Consumer,
  consume,
  consumeMessages,
  type MessageHandler,
  type Queue,
  type SQSEvent,
  type SQSHandler,
} from '@msgport/core';
import { expect } from 'vitest';
import { type CaseContext, defineCase, type Gate } from './context.js';
import { sendOptions } from './resources.js';
import { sleep } from './timing.js';

/** A promise the test resolves: handlers wait on it to stay in flight. */
export class Latch {
  readonly promise: Promise<void>;
  open!: () => void;
  constructor() {
    this.promise = new Promise<void>((resolve) => {
      this.open = resolve;
    });
  }
}

/** Waits in real time (the consumer runs on its own) until `predicate` holds. */
export async function until(
  what: string | (() => string),
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) expect.fail(`timed out waiting until ${typeof what === 'string' ? what : what()}`);
    await sleep(5);
  }
}

type Stoppable = { stop(options: { force: true }): Promise<void>; readonly running: boolean };

/** What every consumer case gets: started consumers are force-stopped when the case ends. */
export interface ConsumerKit {
  /** Options for the transport under test: the manual clock, short waits in real time, no log lines. */
  readonly opts: (options: ConsumeOptions) => ConsumeOptions;
  readonly track: <C extends Stoppable>(consumer: C) => C;
  readonly start: <T>(queue: Queue<T>, handler: SQSHandler, options: ConsumeOptions) => Promise<Consumer<T>>;
  readonly startEach: <T>(queue: Queue<T>, handler: MessageHandler<T>, options: ConsumeOptions) => Promise<Consumer<T>>;
}

export function consumerOptions(ctx: CaseContext, options: ConsumeOptions): ConsumeOptions {
  return {
    ...(ctx.clock ? { clock: ctx.clock } : {}),
    waitTimeSeconds: ctx.clock ? 20 : 1,
    // The cases assert on events; the default stderr logger would only add noise to the report.
    logger: false,
    ...options,
  };
}

function newKit(ctx: CaseContext): ConsumerKit & { stopAll(): Promise<void> } {
  const consumers = new Set<Stoppable>();
  const opts = (options: ConsumeOptions) => consumerOptions(ctx, options);
  const track = <C extends Stoppable>(consumer: C): C => {
    consumers.add(consumer);
    return consumer;
  };
  return {
    opts,
    track,
    start: async (queue, handler, options) => track(await consume(queue, handler, opts(options))),
    startEach: async (queue, handler, options) => track(await consumeMessages(queue, handler, opts(options))),
    stopAll: async () => {
      await Promise.all([...consumers].map((consumer) => consumer.stop({ force: true })));
    },
  };
}

/** Registers a consumer case: its body gets a kit whose consumers are stopped however the case ends. */
export function consumerCase(
  ctx: CaseContext,
  id: string,
  text: string,
  body: (kit: ConsumerKit) => Promise<void>,
  ...gates: Gate[]
): void {
  defineCase(
    ctx,
    id,
    text,
    async () => {
      const kit = newKit(ctx);
      try {
        await body(kit);
      } finally {
        await kit.stopAll();
      }
    },
    ...gates,
  );
}

export async function sendAll(queue: Queue<string>, bodies: readonly string[], group?: string): Promise<void> {
  for (const body of bodies) await queue.send(body, sendOptions(queue, {}, group));
}

export const bodiesOf = (event: SQSEvent): string[] => event.Records.map((record) => record.body);

/** A visibility timeout for consumer cases: exact on a manual clock, short in real time. */
export const consumerVisibility = (ctx: CaseContext): number => (ctx.clock ? 30 : 3);
