/**
 * Opt-in end-to-end run against real AWS: MSGPORT_AWS_E2E=1 with AWS credentials (environment,
 * AWS_PROFILE or ~/.aws), region from MSGPORT_AWS_REGION / AWS_REGION (default us-east-1). It never
 * runs in CI. It creates uniquely named queues (prefix `mpc-`) and deletes them afterwards; it costs
 * a few thousand SQS requests. Topics: packages/sns/test/aws-e2e.test.ts.
 */
import '../src/index.js';
import { runConformance } from '@msgport/conformance';
import { awsE2eTarget } from '@msgport/test-support/fauxqs';
import { conformanceOptions, withKnownFailures } from './support/fauxqs.js';
import { AWS_KNOWN_FAILURES } from './support/known-failures.js';

const target = awsE2eTarget();

const queueGroups = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K'] as const;
withKnownFailures(target, AWS_KNOWN_FAILURES, () => {
  runConformance(conformanceOptions(target, { name: 'sqs', queueKind: 'standard', groups: queueGroups }));
  runConformance(conformanceOptions(target, { name: 'sqs', queueKind: 'fifo', groups: queueGroups }));
});
