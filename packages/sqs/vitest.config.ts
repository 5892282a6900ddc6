import { createRequire } from 'node:module';
import { awsSdkTestEnv, msgportProject } from '../../vitest.shared.js';

const require = createRequire(import.meta.url);

export default msgportProject('sqs', {
  globalSetup: [require.resolve('@msgport/test-support/fauxqs-global-setup')],
  env: awsSdkTestEnv,
  testTimeout: 30_000,
  // the conformance runs are concurrent inside each file (see @msgport/test-support/fauxqs)
  maxConcurrency: 12,
  hookTimeout: 30_000,
});
