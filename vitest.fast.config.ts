import { defineConfig } from 'vitest/config';
import { fastProjects } from './vitest.config.js';

// The consumer's scaling property test runs 10,000 interleavings in `pnpm test:all` (and CI); the
// fast run samples 1,000 of them to stay under a minute. Set the variable to choose another number.
process.env.MSGPORT_PROPERTY_RUNS ??= '1000';

/** `pnpm test`: the projects that need nothing but Node (the list and how to extend it: vitest.config.ts). */
// Several files at once: the examples file mostly waits on the child processes it starts.
export default defineConfig({ test: { projects: fastProjects, maxWorkers: 3 } });
