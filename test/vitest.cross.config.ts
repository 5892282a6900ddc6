import { msgportProject } from '../vitest.shared.js';

// Cross-transport suites against real servers: the shared Redis and RabbitMQ (unique names, cleaned
// up), fauxqs in-process for SQS/SNS, and private TCP peers started by the tests. Under CI=true a
// missing server fails the run (see support/global-setup.ts).
export default msgportProject('cross', {
  include: ['secrets/**/*.test.ts', 'fuzz/**/*.test.ts', 'faults/**/*.test.ts', 'tracing/**/*.test.ts'],
  globalSetup: ['support/global-setup.ts'],
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  testTimeout: 60_000,
  hookTimeout: 60_000,
  maxConcurrency: 8,
});
