import { type ConsumerMetrics, consume, ManualClock, type SQSBatchResponse, type SQSEvent } from '@msgport/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryBroker } from '../src/index.js';

/**
 * The consumer runtime's scaling under random interleavings, on the reference transport with a
 * manual clock: whatever order successes, whole-batch failures, partial failures, empty receives
 * and slow handlers come in, a running consumer keeps as many pollers as its target (never 0) and
 * every message sent is eventually processed and deleted — no stall.
 *
 * Lives here rather than in @msgport/core's tests: core cannot depend on the memory transport
 * (memory depends on core), and this needs the real transport, not a scripted fake.
 */

type Outcome =
  | { readonly kind: 'ok'; readonly delaySeconds: number }
  | { readonly kind: 'throw'; readonly delaySeconds: number }
  | { readonly kind: 'partial'; readonly delaySeconds: number };

interface Step {
  readonly send: number;
  readonly advanceSeconds: number;
}

interface Scenario {
  readonly maximumConcurrency: number;
  readonly batchSize: number;
  readonly waitTimeSeconds: number;
  readonly outcomes: readonly Outcome[];
  readonly steps: readonly Step[];
}

const VISIBILITY_SECONDS = 30;
const FUNCTION_TIMEOUT_SECONDS = 5;
const RUNS = Number(process.env.MSGPORT_PROPERTY_RUNS ?? 10_000);

const outcome: fc.Arbitrary<Outcome> = fc.record({
  kind: fc.constantFrom('ok', 'throw', 'partial'),
  // Up to past the function timeout: a slow handler sometimes times out (another whole-batch failure).
  delaySeconds: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: FUNCTION_TIMEOUT_SECONDS + 1 })),
}) as fc.Arbitrary<Outcome>;

const scenario: fc.Arbitrary<Scenario> = fc.record({
  maximumConcurrency: fc.integer({ min: 2, max: 8 }),
  batchSize: fc.integer({ min: 1, max: 10 }),
  waitTimeSeconds: fc.integer({ min: 1, max: 20 }),
  outcomes: fc.array(outcome, { maxLength: 24 }),
  steps: fc.array(
    fc.record({ send: fc.integer({ min: 0, max: 25 }), advanceSeconds: fc.integer({ min: 0, max: 25 }) }),
    { minLength: 1, maxLength: 6 },
  ),
});

/** What a running consumer must always satisfy. */
function assertScalingInvariant(metrics: ConsumerMetrics, running: boolean, maximumConcurrency: number): void {
  expect(running).toBe(true);
  expect(metrics.TargetConcurrency).toBeGreaterThanOrEqual(1);
  expect(metrics.Pollers).toBe(metrics.TargetConcurrency);
  expect(metrics.MaxConcurrentExecutions).toBeLessThanOrEqual(maximumConcurrency);
}

async function runScenario(s: Scenario): Promise<void> {
  const clock = new ManualClock();
  const broker = createMemoryBroker({ clock, logger: false });
  const queue = await broker.createQueue('scaling', { visibilityTimeoutSeconds: VISIBILITY_SECONDS });
  const script = [...s.outcomes];
  // Handlers due at the same instant resume in the same tick, so their failures are simultaneous.
  const moments = new Map<number, Promise<void>>();
  const until = (at: number): Promise<void> => {
    let moment = moments.get(at);
    if (!moment) {
      moment = new Promise<void>((resolve) => clock.setTimer(at - clock.now(), resolve));
      moments.set(at, moment);
    }
    return moment;
  };
  const handler = async (event: SQSEvent): Promise<SQSBatchResponse | undefined> => {
    const next = script.shift() ?? { kind: 'ok', delaySeconds: 0 };
    if (next.delaySeconds > 0) await until(clock.now() + next.delaySeconds * 1000);
    if (next.kind === 'throw') throw new Error('scripted failure');
    if (next.kind === 'partial') return { batchItemFailures: [{ itemIdentifier: event.Records[0]?.messageId ?? '' }] };
    return undefined;
  };
  const consumer = await consume(queue, handler, {
    clock,
    maximumConcurrency: s.maximumConcurrency,
    batchSize: s.batchSize,
    waitTimeSeconds: s.waitTimeSeconds,
    functionTimeoutSeconds: FUNCTION_TIMEOUT_SECONDS,
    functionResponseTypes: ['ReportBatchItemFailures'],
  });
  consumer.on('warning', () => {});
  consumer.on('handlerError', () => {});
  consumer.on('transportError', () => {});
  try {
    let sent = 0;
    for (const step of s.steps) {
      for (let i = 0; i < step.send; i += 10) {
        const count = Math.min(10, step.send - i);
        await queue.sendBatch(Array.from({ length: count }, (_, j) => ({ id: `m${j}`, body: `b${sent + j}` })));
        sent += count;
      }
      await clock.advance(step.advanceSeconds);
      assertScalingInvariant(consumer.metrics(), consumer.running, s.maximumConcurrency);
    }
    // Liveness: from here every handler succeeds; within a few visibility timeouts the queue is empty.
    script.length = 0;
    for (let round = 0; round < 8; round++) {
      const stats = await queue.getAttributes();
      if (stats.visible + stats.inFlight + stats.delayed === 0) break;
      await clock.advance(VISIBILITY_SECONDS + 1);
      assertScalingInvariant(consumer.metrics(), consumer.running, s.maximumConcurrency);
    }
    const stats = await queue.getAttributes();
    expect(
      { visible: stats.visible, inFlight: stats.inFlight, delayed: stats.delayed },
      'every message is processed: the consumer did not stall',
    ).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(consumer.metrics().NumberOfMessagesDeleted).toBeGreaterThanOrEqual(sent);
  } finally {
    await consumer.stop({ force: true });
    await broker.close();
  }
}

describe('consumer scaling (property)', () => {
  it(`keeps pollers = target ≥ 1 and never stalls over ${RUNS} random interleavings`, {
    timeout: 900_000,
  }, async () => {
    await fc.assert(fc.asyncProperty(scenario, runScenario), { numRuns: RUNS });
  });

  it('the reported stall: maximumConcurrency 2, the first two batches throw at the same moment', async () => {
    await runScenario({
      maximumConcurrency: 2,
      batchSize: 10,
      waitTimeSeconds: 20,
      outcomes: [
        { kind: 'throw', delaySeconds: 1 },
        { kind: 'throw', delaySeconds: 1 },
      ],
      steps: [{ send: 40, advanceSeconds: 2 }],
    });
  });
});
