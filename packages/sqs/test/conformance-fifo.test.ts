import { runConformance } from '@msgport/conformance';
import '../src/index.js';
import { conformanceOptions, FAUXQS_TARGET as FAUXQS, withKnownFailures } from './support/fauxqs.js';
import { FIFO_KNOWN_FAILURES } from './support/known-failures.js';

// FIFO queues, every group but topics (I), which packages/sns runs.
withKnownFailures(FAUXQS, FIFO_KNOWN_FAILURES, () =>
  runConformance(
    conformanceOptions(FAUXQS, {
      name: 'sqs',
      queueKind: 'fifo',
      groups: ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K'],
    }),
  ),
);
