import { defineConfig } from 'vitest/config';

/**
 * The vitest projects. Each one owns its config (`<dir>/vitest.config.ts`, built with
 * `msgportProject()` from vitest.shared.ts, whose first argument is the name `--project` selects).
 *
 * - `pnpm test` (vitest.fast.config.ts) runs `fastProjects`: no server, no network, no fault
 *   injection; the whole set must stay under a minute on a 2-core machine.
 * - `pnpm test:all` (this file) runs `allProjects`: every project, networked suites, fault and
 *   chaos tests included. `pnpm vitest run --project <name>` picks projects from this list.
 *
 * Adding a project: create `<dir>/vitest.config.ts`. A package under packages/ is picked up by the
 * glob below; anywhere else, add its config path to `allProjects`. Add it to `fastProjects` too only
 * if it needs nothing but Node (no Redis, RabbitMQ, emulator, child brokers) and runs in seconds.
 */
export const fastProjects = [
  'packages/core/vitest.config.ts',
  'packages/memory/vitest.config.ts',
  'packages/conformance/vitest.config.ts',
  'packages/test-support/vitest.config.ts',
  'examples/vitest.config.ts',
  'test/vitest.config.ts',
  // The fault tools' own logic (ledger, resume times, the cutting proxy on loopback): milliseconds.
  'test/vitest.fault-tools.config.ts',
];

export const allProjects = [
  'packages/*/vitest.config.ts',
  'examples/vitest.config.ts',
  'test/vitest.config.ts',
  'test/vitest.cross.config.ts',
  'test/vitest.fault-tools.config.ts',
  // Short pnpm chaos and pnpm failover runs: private brokers and clusters, about 3.5 minutes.
  'test/vitest.faults.config.ts',
];

export default defineConfig({
  test: {
    projects: allProjects,
    // The networked suites mostly wait on servers and timers (one worker keeps a core ~10% busy), so
    // three files run at once; the longest file (RabbitMQ conformance, about 3 min) bounds the run.
    maxWorkers: 3,
  },
});
