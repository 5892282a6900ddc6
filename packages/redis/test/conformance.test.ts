import { inject } from 'vitest';
import { REDIS_URL } from './support/env.js';
import { redisHarness } from './support/harness.js';
import { conformanceRuns } from './support/runs.js';

// runConformance({ name: 'redis', harness, capabilities: redisCapabilities, timeGranularityMs: 1000 })
// against the shared server, under a fresh key prefix per run (see support/runs.ts).
conformanceRuns('redis', !inject('redisAvailable'), (label) => redisHarness(REDIS_URL, `conformance-${label}`));
