/**
 * @module @msgport/test-support/fauxqs — the fauxqs emulator for the sqs and sns suites: the endpoint
 * the global setup (`@msgport/test-support/fauxqs-global-setup`) provides, unique names, and the
 * conformance run with known failures.
 */
export { withAwsRules } from './aws-rules.js';
export { fauxqsEndpoint, fauxqsUrl, noFauxqs, REGION, uniqueName } from './fauxqs.js';
export {
  awsE2eTarget,
  type ConformanceTarget,
  conformanceOptions,
  FAUXQS,
  type FailureKind,
  type KnownFailure,
  type KnownFailures,
  withKnownFailures,
} from './known-failures.js';
