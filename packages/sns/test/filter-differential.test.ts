/**
 * Filter differential: the core evaluator (`compileFilterPolicy`, used by every transport that
 * filters itself) and SNS's native filtering (fauxqs 1.9.2 here) must agree on every pair of the core
 * table and on seeded generated pairs. A disagreement passes only when the pair exercises a documented
 * fauxqs departure from SNS (support/filter-deviations.ts, each with its AWS source); any other
 * disagreement fails the test and must be investigated.
 */
import { randomUUID } from 'node:crypto';
import { type Broker, compileFilterPolicy } from '@msgport/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterCases } from '../../core/test/filter-policy/filter-cases.js';
import { connectFauxqs, noFauxqs } from './support/broker.js';
import { DEVIATIONS, type DeviationId, deviationsOf, FAUXQS_MISSING_FEATURES } from './support/filter-deviations.js';
import { type FilterPair, generatePairs } from './support/filter-generator.js';
import { nativeOutcomes, publishedMessage } from './support/native-filter.js';

const SEED = 0x5e_ed_20_26;
const GENERATED = 600;

interface Outcome {
  readonly pair: FilterPair;
  readonly core: boolean;
  readonly native: boolean;
  readonly expected?: boolean;
  readonly deviations: DeviationId[];
}

function coreOutcome(pair: FilterPair, index: number): boolean {
  const { body, attributes } = publishedMessage(pair, index);
  return compileFilterPolicy(pair.policy, pair.scope)({ body, attributes });
}

function describeOutcome(outcome: Outcome): string {
  const { pair } = outcome;
  return `${pair.name}: core=${outcome.core} fauxqs=${outcome.native} policy=${JSON.stringify(pair.policy)} scope=${pair.scope} ${
    pair.scope === 'MessageBody' ? `body=${pair.body}` : `attributes=${JSON.stringify(pair.attributes)}`
  }`;
}

function summarize(label: string, outcomes: readonly Outcome[]): Record<string, number> {
  const byDeviation: Record<string, number> = {};
  for (const outcome of outcomes.filter((o) => o.core !== o.native)) {
    for (const id of outcome.deviations) byDeviation[id] = (byDeviation[id] ?? 0) + 1;
  }
  const agreed = outcomes.filter((o) => o.core === o.native).length;
  const onlyUnverified = outcomes.filter(
    (o) => o.core !== o.native && o.deviations.every((id) => DEVIATIONS[id].unverified),
  ).length;
  console.info(
    `[filter differential] ${label}: ${outcomes.length} pairs, ${agreed} agree, ${outcomes.length - agreed} differ (by fauxqs deviation: ${JSON.stringify(byDeviation)}; ${onlyUnverified} explained only by a deviation whose AWS outcome is unverified)`,
  );
  return byDeviation;
}

describe.skipIf(noFauxqs)('filter differential: core evaluator vs native SNS filtering (fauxqs 1.9.2)', () => {
  let broker: Broker;
  const run = randomUUID().slice(0, 6);
  beforeAll(async () => {
    broker = await connectFauxqs();
  });
  afterAll(async () => {
    await broker?.close();
  });

  async function evaluate(pairs: readonly FilterPair[], prefix: string, expected?: readonly boolean[]) {
    const native = await nativeOutcomes(broker, pairs, prefix);
    return pairs.map(
      (pair, index): Outcome => ({
        pair,
        core: coreOutcome(pair, index),
        native: native[index] ?? false,
        ...(expected?.[index] !== undefined ? { expected: expected[index] } : {}),
        deviations: deviationsOf(pair),
      }),
    );
  }

  it('agrees on the core table of SNS-decided cases (except operators fauxqs 1.9.2 lacks)', async () => {
    const excluded = filterCases.filter((c) => c.feature !== undefined && c.feature in FAUXQS_MISSING_FEATURES);
    const included = filterCases.filter((c) => !excluded.includes(c));
    console.info(
      `[filter differential] table: ${excluded.length} of ${filterCases.length} cases not sent to fauxqs: ${[
        ...new Set(excluded.map((c) => FAUXQS_MISSING_FEATURES[c.feature as string])),
      ].join('; ')}`,
    );
    const pairs = included.map(
      (c): FilterPair => ({
        name: c.name,
        policy: c.policy,
        scope: c.scope ?? 'MessageAttributes',
        attributes: c.attributes ?? {},
        ...(c.body !== undefined ? { body: c.body } : {}),
      }),
    );
    const outcomes = await evaluate(
      pairs,
      `fd-table-${run}`,
      included.map((c) => c.expected),
    );
    // The table records SNS's own outcome: the core evaluator must reproduce every one of them.
    expect(outcomes.filter((o) => o.core !== o.expected).map(describeOutcome)).toEqual([]);
    expect(outcomes.filter((o) => o.core !== o.native && o.deviations.length === 0).map(describeOutcome)).toEqual([]);
    summarize('table', outcomes);
  });

  it(`agrees on ${GENERATED} generated pairs (seed ${SEED})`, { timeout: 120_000 }, async () => {
    const pairs = generatePairs(SEED, GENERATED);
    const outcomes = await evaluate(pairs, `fd-gen-${run}`);
    const unexplained = outcomes.filter((o) => o.core !== o.native && o.deviations.length === 0);
    expect(unexplained.map(describeOutcome)).toEqual([]);
    // Most pairs exercise no documented deviation; on those, agreement is total (checked above).
    const clean = outcomes.filter((o) => o.deviations.length === 0);
    expect(clean.length).toBeGreaterThanOrEqual(GENERATED / 2);
    // Both outcomes occur, so the pairs are not trivially all-match or all-drop.
    expect(clean.filter((o) => o.core).length).toBeGreaterThan(50);
    expect(clean.filter((o) => !o.core).length).toBeGreaterThan(50);
    const byDeviation = summarize('generated', outcomes);
    for (const id of Object.keys(byDeviation)) expect(DEVIATIONS[id as DeviationId]).toBeDefined();
  });
});
