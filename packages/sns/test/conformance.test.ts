import { runConformance } from '@msgport/conformance';
import { sqsCapabilities } from '@msgport/sqs';
import { conformanceOptions, withKnownFailures } from '@msgport/test-support/fauxqs';
import { FAUXQS_TARGET as FAUXQS } from './support/broker.js';
import { TOPIC_KNOWN_FAILURES } from './support/known-failures.js';

// Topics (group I) with SNS-enveloped subscriptions; raw subscriptions: conformance-raw.test.ts.
withKnownFailures(FAUXQS, TOPIC_KNOWN_FAILURES, () =>
  runConformance(
    conformanceOptions(FAUXQS, sqsCapabilities(true), { name: 'sns', groups: ['I'], subscriptionKinds: ['envelope'] }),
  ),
);
