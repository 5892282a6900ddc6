import { msgportProject } from '../../vitest.shared.js';

export default msgportProject('sns', {
  // fauxqs is a dev dependency of @msgport/sqs; the same global setup starts this project's own server.
  globalSetup: ['../sqs/test/support/fauxqs.global.ts'],
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  testTimeout: 30_000,
  hookTimeout: 30_000,
});
