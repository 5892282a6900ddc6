import { createRequire } from 'node:module';
import { awsSdkTestEnv, msgportProject } from '../../vitest.shared.js';

const require = createRequire(import.meta.url);

// Real servers: the shared Redis and RabbitMQ (unique prefixes and namespaces, deleted afterwards)
// and fauxqs in-process, checked and started by the same global setups as the transports' own
// projects (under CI=true a missing server fails the run). The console test drives Debian's Chromium.
export default msgportProject('cli', {
  globalSetup: [
    '../redis/test/global-setup.ts',
    '../rabbitmq/test/support/global-setup.ts',
    require.resolve('@msgport/test-support/fauxqs-global-setup'),
    './test/support/global-setup.ts',
  ],
  env: awsSdkTestEnv,
  testTimeout: 60_000,
  hookTimeout: 60_000,
});
