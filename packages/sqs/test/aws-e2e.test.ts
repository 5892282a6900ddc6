/**
 * Opt-in end-to-end run against real AWS: MSGPORT_AWS_E2E=1 with AWS credentials (environment,
 * AWS_PROFILE or ~/.aws), region from MSGPORT_AWS_REGION / AWS_REGION (default us-east-1). It never
 * runs in CI. It creates uniquely named queues and topics (prefix `mpc-`) and deletes them afterwards;
 * it costs a few thousand SQS/SNS requests.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import '../src/index.js';
import { runConformance } from '@msgport/conformance';
import { type ConformanceTarget, conformanceOptions, withKnownFailures } from './support/conformance.js';
import { AWS_KNOWN_FAILURES } from './support/known-failures.js';

function hasCredentials(): boolean {
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

function unavailable(): string | undefined {
  if (process.env.CI === 'true') return 'never in CI';
  if (process.env.MSGPORT_AWS_E2E !== '1') return 'set MSGPORT_AWS_E2E=1 to run against real AWS';
  if (!hasCredentials()) return 'MSGPORT_AWS_E2E=1 but no AWS credentials were found';
  return undefined;
}

const region = process.env.MSGPORT_AWS_REGION ?? process.env.AWS_REGION ?? 'us-east-1';
const reason = unavailable();
if (reason !== undefined) console.warn(`\n*** [aws-e2e] real-AWS run SKIPPED: ${reason} ***\n`);

const target: ConformanceTarget = {
  label: `AWS ${region}`,
  url: () => `sqs://?region=${region}`,
  ...(reason !== undefined ? { unavailable: reason } : {}),
};

const queueGroups = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K'] as const;
withKnownFailures(target, AWS_KNOWN_FAILURES, () => {
  runConformance(conformanceOptions(target, { name: 'sqs', queueKind: 'standard', groups: queueGroups }));
  runConformance(conformanceOptions(target, { name: 'sqs', queueKind: 'fifo', groups: queueGroups }));
  runConformance(conformanceOptions(target, { name: 'sns', groups: ['I'], subscriptionKinds: ['envelope', 'raw'] }));
});
