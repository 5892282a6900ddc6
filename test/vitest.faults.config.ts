import { msgportProject } from '../vitest.shared.js';

// The real fault runs (pnpm chaos / pnpm failover, short): private servers and clusters on free
// loopback ports, child processes, minutes of wall time. One file at a time, so two runs never
// compete for the CPU and skew each other's resume times; the full run only (`pnpm test:all`).
export default msgportProject('faults', {
  include: ['chaos/**/*.test.ts', 'failover/**/*.test.ts'],
  testTimeout: 600_000,
  hookTimeout: 120_000,
  fileParallelism: false,
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
});
