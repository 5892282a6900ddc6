/**
 * Opt-in end-to-end run of the topic cases against real AWS (see packages/sqs/test/aws-e2e.test.ts
 * for the switch): uniquely named topics and queues (prefix `mpc-`), deleted afterwards.
 */
import { runConformance } from '@msgport/conformance';
import { sqsCapabilities } from '@msgport/sqs';
import { awsE2eTarget, conformanceOptions, withKnownFailures } from '@msgport/test-support/fauxqs';
import './support/broker.js';

const target = awsE2eTarget();

withKnownFailures(target, {}, () => {
  runConformance(
    conformanceOptions(target, sqsCapabilities(true), {
      name: 'sns',
      groups: ['I'],
      subscriptionKinds: ['envelope', 'raw'],
    }),
  );
});
