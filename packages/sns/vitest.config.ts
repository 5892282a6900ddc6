import { createRequire } from 'node:module';
import { awsSdkTestEnv, msgportProject } from '../../vitest.shared.js';

const require = createRequire(import.meta.url);

export default msgportProject('sns', {
  // each project starts its own fauxqs
  globalSetup: [require.resolve('@msgport/test-support/fauxqs-global-setup')],
  env: awsSdkTestEnv,
  testTimeout: 30_000,
  hookTimeout: 30_000,
});
