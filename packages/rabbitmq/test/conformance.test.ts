import { runConformance } from '@msgport/conformance';
import { afterEach } from 'vitest';
import { rabbitmqCapabilities } from '../src/index.js';
import { conformanceHarness } from './support/rabbitmq.js';

// One namespace per run on the shared broker (never stopped): each case's queues and topics are
// deleted after it, and the namespace is dropped at the end.
const { harness, cleanCase } = conformanceHarness('conf');
afterEach(cleanCase);

runConformance({ name: 'rabbitmq', harness, capabilities: rabbitmqCapabilities, timeGranularityMs: 1000 });
