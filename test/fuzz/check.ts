import { expect } from 'vitest';
import type { FuzzReport } from './runner.js';

/** What every fuzz run must show: no crash, no untyped error, no `Internal`, no hang, no partial effect. */
export function expectClean(report: FuzzReport, minimumCalls: number): void {
  const total = report.calls + report.callsAfterClose;
  console.info(
    `fuzz ${report.transport} (seed ${report.seed}): ${total} calls (${report.callsAfterClose} after close), ` +
      `${report.valid} valid / ${report.invalid} invalid; outcomes ${JSON.stringify(report.codes)}; ` +
      `bodies accepted ${report.acceptedBodies}, refused ${report.refusedBodies}`,
  );
  expect(total).toBeGreaterThanOrEqual(minimumCalls);
  expect(report.crashes).toEqual([]);
  expect(report.untyped).toEqual([]);
  expect(report.internal).toEqual([]);
  expect(report.hangs).toEqual([]);
  expect(report.violations).toEqual([]);
}
