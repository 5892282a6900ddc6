import { msgportProject } from '../../vitest.shared.js';

export default msgportProject('sqs', {
  globalSetup: ['./test/support/fauxqs.global.ts'],
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  testTimeout: 30_000,
  // the conformance runs are concurrent inside each file (see test/support/conformance.ts)
  maxConcurrency: 12,
  hookTimeout: 30_000,
});
