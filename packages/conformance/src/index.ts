/**
 * @module @msgport/conformance — the shared conformance suite. A transport runs it from one short
 * test file: `runConformance({ name, harness, capabilities, clock? })` registers vitest cases for
 * the groups of research §7 (A–K); gated cases run only where the transport declares the
 * capability, and skipped ones say why in their title.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { attributeCases } from './cases/attributes.js';
import { basicsCases } from './cases/basics.js';
import { batchingCases } from './cases/batching.js';
import { consumerCases } from './cases/consumer.js';
import { delayCases } from './cases/delay.js';
import { errorCases } from './cases/errors.js';
import { fifoCases } from './cases/fifo.js';
import { redriveCases } from './cases/redrive.js';
import { retentionCases } from './cases/retention.js';
import { topicCases } from './cases/topic.js';
import { visibilityCases } from './cases/visibility.js';
import type { CaseGroup, ConformanceOptions } from './harness.js';
import { CaseContext } from './support/context.js';

export type { CaseGroup, ConformanceHarness, ConformanceOptions, QueueKind, SubscriptionKind } from './harness.js';
export { type CaseBody, CaseContext, defineCase, type Gate } from './support/context.js';
export {
  attributeCases,
  basicsCases,
  batchingCases,
  consumerCases,
  delayCases,
  errorCases,
  fifoCases,
  redriveCases,
  retentionCases,
  topicCases,
  visibilityCases,
};

/** The groups in registration order, with their report titles. */
export const CASE_GROUPS: ReadonlyArray<readonly [CaseGroup, string, (ctx: CaseContext) => void]> = [
  ['A', 'A. Basics', basicsCases],
  ['B', 'B. Attributes', attributeCases],
  ['C', 'C. Batching', batchingCases],
  ['D', 'D. Visibility, delete and nack', visibilityCases],
  ['E', 'E. Redrive and dead-letter queues', redriveCases],
  ['F', 'F. Delays', delayCases],
  ['G', 'G. Retention, purge and stats', retentionCases],
  ['H', 'H. FIFO and fair queues', fifoCases],
  ['I', 'I. Topics, fan-out and filtering', topicCases],
  ['J', 'J. Consumer runtime (Lambda event source mapping)', consumerCases],
  ['K', 'K. Errors and bad input', errorCases],
];

/**
 * Registers the conformance suite as vitest `describe`/`it` blocks: one broker per run, opened in
 * `beforeAll` and closed (after deleting what the cases created) in `afterAll`.
 */
export function runConformance(options: ConformanceOptions): void {
  const ctx = new CaseContext(options);
  const selected = new Set<CaseGroup>(options.groups ?? CASE_GROUPS.map(([group]) => group));
  const kind = ctx.queueKind === 'fifo' ? ', FIFO queues' : '';
  describe(`conformance: ${options.name}${kind}`, () => {
    beforeAll(() => ctx.open(), 60_000);
    afterAll(() => ctx.close(), 60_000);
    for (const [group, title, register] of CASE_GROUPS) {
      if (selected.has(group)) describe(title, () => register(ctx));
    }
  });
}
