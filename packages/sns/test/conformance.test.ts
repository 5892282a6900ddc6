import { runConformance } from '@msgport/conformance';
import '../../sqs/src/index.js';
import { conformanceOptions, FAUXQS, withKnownFailures } from '../../sqs/test/support/conformance.js';
import { TOPIC_KNOWN_FAILURES } from './support/known-failures.js';

// Topics (group I) with SNS-enveloped subscriptions; raw subscriptions: conformance-raw.test.ts.
withKnownFailures(FAUXQS, TOPIC_KNOWN_FAILURES, () =>
  runConformance(conformanceOptions(FAUXQS, { name: 'sns', groups: ['I'], subscriptionKinds: ['envelope'] })),
);
