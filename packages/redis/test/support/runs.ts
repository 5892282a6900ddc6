import { type CaseGroup, type ConformanceHarness, runConformance } from '@msgport/conformance';
import { describe } from 'vitest';
import { redisCapabilities } from '../../src/index.js';

const GENERAL: CaseGroup[] = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'K'];
const FIFO_GENERAL: CaseGroup[] = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'K'];

/**
 * Registers the conformance suite three times, as the memory transport does: every group on
 * standard queues, the consumer runtime (J), and the general cases again on FIFO queues. Cases use
 * their own queues and mostly wait on real time, so they run concurrently — except J, whose cases
 * share the suite's set of consumers (each case stops all of them), so they run one at a time.
 */
export function conformanceRuns(name: string, skip: boolean, harness: (label: string) => ConformanceHarness): void {
  const runs = [
    { label: 'std', groups: GENERAL, queueKind: 'standard', concurrent: true },
    { label: 'consumer', groups: ['J'], queueKind: 'standard', concurrent: false },
    { label: 'fifo', groups: FIFO_GENERAL, queueKind: 'fifo', concurrent: true },
  ] as const;
  for (const run of runs) {
    describe.skipIf(skip)(name, { concurrent: run.concurrent, sequential: !run.concurrent }, () => {
      runConformance({
        name: run.queueKind === 'fifo' ? `${name} (fifo)` : name,
        harness: harness(run.label),
        capabilities: redisCapabilities,
        timeGranularityMs: 1000,
        groups: run.groups,
        queueKind: run.queueKind,
      });
    });
  }
}
