import { isMsgportError } from '@msgport/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLeaks, OutputCapture } from './scan.js';
import { Probe, type SecretCase } from './secret-case.js';

// A case that has not settled by then hangs: it fails with this, whatever its own bound.
const HANG_MS = 20_000;

type Outcome = { kind: 'resolved'; value: unknown } | { kind: 'rejected'; error: unknown } | { kind: 'hung' };

async function settle(work: Promise<unknown>): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'hung' }), HANG_MS);
  });
  try {
    return await Promise.race([
      work.then(
        (value): Outcome => ({ kind: 'resolved', value }),
        (error: unknown): Outcome => ({ kind: 'rejected', error }),
      ),
      hung,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** What one case produced, for the assertions and for the report. */
async function runCase(testCase: SecretCase) {
  const probe = new Probe();
  const started = Date.now();
  const outcome = await settle(Promise.resolve().then(() => testCase.run(probe)));
  const tookMs = Date.now() - started;
  await probe.cleanup();
  const error = outcome.kind === 'rejected' ? outcome.error : undefined;
  const leaks = findLeaks(testCase.secrets, { error, logs: probe.logger.lines, events: probe.events });
  return { outcome, error, tookMs, leaks };
}

/**
 * The secret matrix of one transport: each case must fail with a typed `MsgportError` within its
 * bound, and its secret must appear nowhere — message, stack, `util.inspect` with hidden fields,
 * JSON, the cause chain, the logger, events — nor, across all cases, on the console.
 */
export function secretMatrix(transport: string, skipReason: string, cases: () => SecretCase[]): void {
  describe.skipIf(skipReason !== '')(`secret matrix: ${transport}${skipReason ? ` (${skipReason})` : ''}`, () => {
    const all = skipReason === '' ? cases() : [];
    const output = new OutputCapture();
    beforeAll(() => output.install());
    afterAll(() => output.uninstall());

    it(`has at least 50 failure cases (${all.length})`, () => {
      expect(all.length).toBeGreaterThanOrEqual(50);
      expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
    });

    describe.concurrent('cases', () => {
      for (const testCase of all) {
        const define = testCase.knownFailure === undefined ? it : it.fails;
        const title = testCase.knownFailure
          ? `${testCase.name} [fails today: ${testCase.knownFailure}]`
          : testCase.name;
        define(title, async () => {
          const { outcome, error, tookMs, leaks } = await runCase(testCase);
          expect(leaks).toEqual([]);
          expect(outcome.kind, `the case ${outcome.kind} instead of failing`).toBe('rejected');
          expect(isMsgportError(error), `untyped: ${String(error)}`).toBe(true);
          if (testCase.codes) expect(testCase.codes).toContain((error as { code: string }).code);
          expect(tookMs).toBeLessThan(testCase.withinMs ?? 6_000);
        });
      }
    });

    it('no case printed a secret to the console or stderr', () => {
      const secrets = all.flatMap((c) => c.secrets);
      expect(findLeaks(secrets, { output: output.chunks })).toEqual([]);
    });
  });
}
