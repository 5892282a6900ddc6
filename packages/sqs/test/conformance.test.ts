import { runConformance } from '@msgport/conformance';
import '../src/index.js';
import { conformanceOptions, FAUXQS_TARGET as FAUXQS, withKnownFailures } from './support/fauxqs.js';
import { QUEUE_KNOWN_FAILURES } from './support/known-failures.js';

// Standard queues, every group but topics (I), which packages/sns runs. FIFO: conformance-fifo.test.ts.
withKnownFailures(FAUXQS, QUEUE_KNOWN_FAILURES, () =>
  runConformance(
    conformanceOptions(FAUXQS, {
      name: 'sqs',
      queueKind: 'standard',
      groups: ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K'],
    }),
  ),
);
