import { msgportProject } from '../../vitest.shared.js';

export default msgportProject('rabbitmq', {
  globalSetup: ['test/support/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
});
