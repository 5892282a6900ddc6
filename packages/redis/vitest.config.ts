import { msgportProject } from '../../vitest.shared.js';

// Real Redis servers: the shared one (unique key prefixes per run), plus private servers and a
// 3-node cluster started by the tests themselves on free loopback ports. Conformance cases use
// their own resources and mostly wait on real time, so the files run them concurrently
// (`describe.concurrent`, at most `maxConcurrency` at a time).
export default msgportProject('redis', {
  globalSetup: ['test/global-setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 90_000,
  maxConcurrency: 12,
});
