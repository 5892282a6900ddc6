import { connect } from '@msgport/core';
import '@msgport/memory';
import { it } from 'vitest';
import { expectClean } from './check.js';
import { fuzzSeed } from './prng.js';
import { runFuzz } from './runner.js';

it('fuzz: memory, 6,000 mixed calls with 600 after close', async () => {
  const store = `fuzz-${Date.now()}`;
  const report = await runFuzz(
    { transport: 'memory', open: () => connect(`memory://${store}`, { logger: false }) },
    { seed: fuzzSeed(0x5eed_0001), calls: 6_000, afterClose: 600, concurrency: 4 },
  );
  expectClean(report, 5_000);
}, 120_000);
