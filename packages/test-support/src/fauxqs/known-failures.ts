/**
 * Helpers for running `@msgport/conformance` against fauxqs (or, opt-in, real AWS):
 *
 *   withKnownFailures(FAUXQS, QUEUE_KNOWN_FAILURES, () =>
 *     runConformance(conformanceOptions(FAUXQS, sqsCapabilities(false), { name: 'sqs', queueKind: 'fifo' })));
 *
 * Cases run concurrently (each creates its own uniquely named resources and waits in real time),
 * which keeps a run to about a minute. Cases that cannot pass on the target are listed with the
 * reason and registered as expected failures (vitest `fails`): they still run, their titles say why
 * they are expected to fail, and one that starts passing (say, on a newer emulator) fails the run
 * until the list is updated. Nothing is skipped silently.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ConformanceOptions } from '@msgport/conformance';
import { type Broker, type Capabilities, connect } from '@msgport/core';
import { afterAll, beforeEach, describe, it } from 'vitest';
import { fauxqsUrl, noFauxqs } from './fauxqs.js';

export type FailureKind = 'fauxqs' | 'sqs-api';

export interface KnownFailure {
  readonly kind: FailureKind;
  readonly reason: string;
}

/** Case id (`H44d`), or case id and subscription kind (`I56a (raw)`), → why it fails here. */
export type KnownFailures = Readonly<Record<string, KnownFailure>>;

/** Where the suite runs: fauxqs by default, real AWS in the opt-in end-to-end test. */
export interface ConformanceTarget {
  readonly label: string;
  readonly url: () => string;
  /** Opens a broker on the target (default: `connect(url())`); fauxqs runs give a client `withAwsRules`. */
  readonly connect?: () => Promise<Broker>;
  /** Why the target is unavailable; its runs are then registered as skipped with this reason. */
  readonly unavailable?: string;
}

export const FAUXQS: ConformanceTarget = {
  label: 'fauxqs 1.9.2',
  url: fauxqsUrl,
  ...(noFauxqs ? { unavailable: 'fauxqs did not start' } : {}),
};

type RunOptions = Omit<ConformanceOptions, 'harness' | 'capabilities' | 'timeGranularityMs'>;

/** The suite's options for an sqs:// broker on `target` with the driver's `capabilities`. */
export function conformanceOptions(
  target: ConformanceTarget,
  capabilities: Capabilities,
  options: RunOptions,
): ConformanceOptions {
  return {
    ...options,
    harness: { connect: (): Promise<Broker> => (target.connect ? target.connect() : connect(target.url())) },
    capabilities,
    timeGranularityMs: 1000,
  };
}

interface MutableTask {
  name: string;
  fails?: boolean;
  result?: { state?: string };
}

function knownFailureOf(title: string, known: KnownFailures): KnownFailure | undefined {
  const match = /› (\S+) /.exec(title);
  if (!match?.[1]) return undefined;
  const variant = /\((envelope|raw)\)/.exec(title)?.[1];
  return (variant ? known[`${match[1]} (${variant})`] : undefined) ?? known[match[1]];
}

/** Registers `register()` (a `runConformance` call) concurrently on `target`, with `known` expected to fail. */
export function withKnownFailures(target: ConformanceTarget, known: KnownFailures, register: () => void): void {
  if (target.unavailable !== undefined) {
    describe.skip(`conformance on ${target.label} [skipped: ${target.unavailable}]`, () => {
      it('is not run', () => {});
    });
    return;
  }
  const marked: MutableTask[] = [];
  describe.concurrent(`on ${target.label}`, () => {
    beforeEach(({ task }) => {
      const mutable = task as unknown as MutableTask;
      const failure = knownFailureOf(mutable.name, known);
      if (!failure) return;
      mutable.fails = true;
      mutable.name = `${mutable.name} [expected to fail, ${failure.kind}: ${failure.reason}]`;
      marked.push(mutable);
    });
    afterAll(() => {
      const lines = marked.map(
        (task) => `  ${task.result?.state === 'pass' ? 'failed as expected' : 'UNEXPECTED'}: ${task.name}`,
      );
      if (lines.length > 0)
        console.info(`[conformance] ${target.label}: ${lines.length} known failures\n${lines.join('\n')}`);
    });
    register();
  });
}

function hasAwsCredentials(): boolean {
  const env = process.env;
  return Boolean(
    (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) ||
      env.AWS_PROFILE ||
      env.AWS_WEB_IDENTITY_TOKEN_FILE ||
      env.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
      env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
      existsSync(join(homedir(), '.aws', 'credentials')),
  );
}

function awsUnavailable(): string | undefined {
  if (process.env.CI === 'true') return 'never in CI';
  if (process.env.MSGPORT_AWS_E2E !== '1') return 'set MSGPORT_AWS_E2E=1 to run against real AWS';
  if (!hasAwsCredentials()) return 'MSGPORT_AWS_E2E=1 but no AWS credentials were found';
  return undefined;
}

/**
 * Real AWS for the opt-in end-to-end runs: MSGPORT_AWS_E2E=1 with AWS credentials, region from
 * MSGPORT_AWS_REGION / AWS_REGION (default us-east-1); never in CI.
 */
export function awsE2eTarget(): ConformanceTarget {
  const region = process.env.MSGPORT_AWS_REGION ?? process.env.AWS_REGION ?? 'us-east-1';
  const reason = awsUnavailable();
  if (reason !== undefined) console.warn(`\n*** [aws-e2e] real-AWS run SKIPPED: ${reason} ***\n`);
  return {
    label: `AWS ${region}`,
    url: () => `sqs://?region=${region}`,
    ...(reason !== undefined ? { unavailable: reason } : {}),
  };
}
