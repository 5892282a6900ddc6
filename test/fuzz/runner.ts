import { type Broker, isMsgportError, type MsgportError, type Queue } from '@msgport/core';
import { BodyLedger } from './ledger.js';
import { type FuzzCall, type FuzzWorld, MAKERS } from './operations.js';
import { Prng } from './prng.js';

export interface FuzzTarget {
  readonly transport: string;
  /** A broker on the run's own store, prefix or namespace; called again for the final drain. */
  readonly open: () => Promise<Broker>;
  /** Removes what the run left (keys under its prefix…), after the pool is deleted. */
  readonly cleanup?: () => Promise<void>;
}

export interface FuzzOptions {
  readonly seed: number;
  /** Calls on the open broker, then `afterClose` more on the closed one. */
  readonly calls: number;
  readonly afterClose: number;
  /** Calls in flight at once. */
  readonly concurrency: number;
}

export interface FuzzReport {
  readonly transport: string;
  readonly seed: number;
  calls: number;
  callsAfterClose: number;
  valid: number;
  invalid: number;
  readonly codes: Record<string, number>;
  /** Uncaught exceptions and unhandled rejections during the run. */
  readonly crashes: string[];
  /** Failures that were not a `MsgportError`. */
  readonly untyped: string[];
  /** `Internal` errors: missing validation, or a transport that could not classify what happened. */
  readonly internal: string[];
  readonly hangs: string[];
  /** Partial effects: a body whose send was rejected was received. */
  readonly violations: string[];
  refusedBodies: number;
  acceptedBodies: number;
}

// No call may take longer; every call has a deadline of its own well below it.
const WATCHDOG_MS = 20_000;

const tag = () => Math.random().toString(36).slice(2, 8);

async function createWorld(broker: Broker, rng: Prng, ledger: BodyLedger, run: string): Promise<FuzzWorld> {
  const dlq = await broker.createQueue(`fz-${run}-dlq`);
  const std = await broker.createQueue(`fz-${run}-std`, {
    visibilityTimeoutSeconds: 5,
    deadLetter: { queue: dlq.name, maxReceiveCount: 3 },
  });
  const fifo = await broker.createQueue(`fz-${run}-fifo.fifo`, { fifo: true, contentBasedDeduplication: true });
  const sub = await broker.createQueue(`fz-${run}-sub`);
  const topic = await broker.createTopic(`fz-${run}-topic`);
  await topic.subscribe(sub, { rawMessageDelivery: true });
  return { broker, rng, ledger, std, fifo, dlq, sub, topic, handles: [], missing: `fz-${run}-missing` };
}

/** The same queues and topic, seen through another broker (after the first one is closed). */
function reopen(world: FuzzWorld, broker: Broker): FuzzWorld {
  return {
    ...world,
    broker,
    std: broker.queue(world.std.name),
    fifo: broker.queue(world.fifo.name),
    dlq: broker.queue(world.dlq.name),
    sub: broker.queue(world.sub.name),
    topic: broker.topic(world.topic.name),
  };
}

async function watchdog(work: unknown): Promise<{ value?: unknown; error?: unknown; hung?: true }> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<{ hung: true }>((resolve) => {
    timer = setTimeout(() => resolve({ hung: true }), WATCHDOG_MS);
  });
  try {
    return await Promise.race([
      Promise.resolve(work).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
      hung,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function learn(ledger: BodyLedger, call: FuzzCall, outcome: { value?: unknown; error?: unknown }): void {
  if (!call.bodies) return;
  const error = isMsgportError(outcome.error) ? outcome.error : undefined;
  if ('error' in outcome) {
    for (const body of call.bodies.values()) ledger.failed(body, error);
    return;
  }
  const result = outcome.value as
    | { successful?: { id: string }[]; failed?: { id: string; code: string }[] }
    | undefined;
  if (!result?.failed) {
    for (const body of call.bodies.values()) ledger.accepted(body);
    return;
  }
  for (const entry of result.successful ?? []) ledger.accepted(call.bodies.get(entry.id) ?? '');
  for (const entry of result.failed) {
    ledger.failed(call.bodies.get(entry.id) ?? '', { code: entry.code } as MsgportError);
  }
}

async function execute(call: FuzzCall, ledger: BodyLedger, report: FuzzReport): Promise<void> {
  let work: unknown;
  try {
    work = call.run();
  } catch (error) {
    work = Promise.reject(error);
  }
  const outcome = await watchdog(work);
  if (call.valid) report.valid++;
  else report.invalid++;
  if (outcome.hung) {
    report.hangs.push(call.name);
    return;
  }
  learn(ledger, call, outcome);
  if (!('error' in outcome)) {
    report.codes.ok = (report.codes.ok ?? 0) + 1;
    return;
  }
  const { error } = outcome;
  if (!isMsgportError(error)) {
    report.untyped.push(`${call.name}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    return;
  }
  report.codes[error.code] = (report.codes[error.code] ?? 0) + 1;
  if (error.code === 'Internal') report.internal.push(`${call.name}: ${error.message}`);
}

async function runCalls(world: FuzzWorld, count: number, concurrency: number, report: FuzzReport): Promise<void> {
  let issued = 0;
  const worker = async () => {
    while (issued < count) {
      issued++;
      const call = world.rng.weighted(MAKERS)(world);
      await execute(call, world.ledger, report);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Receives whatever is left in the pool, checking each body against the ledger. */
async function drain(world: FuzzWorld): Promise<void> {
  for (const queue of [world.std, world.fifo, world.dlq, world.sub] as Queue[]) {
    for (let empty = 0; empty < 3; ) {
      const batch = await queue.receive({ maxMessages: 10, waitTimeSeconds: 0, visibilityTimeoutSeconds: 60 });
      if (batch.length === 0) empty++;
      for (const message of batch) world.ledger.observed(message.rawBody, `drain ${queue.name}`);
    }
  }
}

/** One seeded run: calls on an open broker, then on the closed one; then a drain and cleanup. */
export async function runFuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const rng = new Prng(options.seed);
  const ledger = new BodyLedger(tag());
  const report: FuzzReport = {
    transport: target.transport,
    seed: options.seed,
    calls: 0,
    callsAfterClose: 0,
    valid: 0,
    invalid: 0,
    codes: {},
    crashes: [],
    untyped: [],
    internal: [],
    hangs: [],
    violations: ledger.violations,
    refusedBodies: 0,
    acceptedBodies: 0,
  };
  const crash = (kind: string) => (reason: unknown) => report.crashes.push(`${kind}: ${String(reason)}`);
  const onRejection = crash('unhandled rejection');
  const onException = crash('uncaught exception');
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  const broker = await target.open();
  const world = await createWorld(broker, rng, ledger, tag());
  try {
    await runCalls(world, options.calls, options.concurrency, report);
    report.calls = options.calls;
    await broker.close();
    await runCalls(world, options.afterClose, options.concurrency, report);
    report.callsAfterClose = options.afterClose;
  } finally {
    const inspector = await target.open();
    const after = reopen(world, inspector);
    try {
      await drain(after);
      for (const queue of [after.std, after.fifo, after.sub, after.dlq]) await inspector.deleteQueue(queue.name);
      await inspector.deleteTopic(after.topic.name);
    } finally {
      await inspector.close();
      await target.cleanup?.();
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    }
  }
  report.refusedBodies = ledger.refusedCount;
  report.acceptedBodies = ledger.acceptedCount;
  return report;
}
