import { connect } from '@msgport/core';
import '@msgport/redis';
import { inject, it } from 'vitest';
import { deletePrefix } from '../../packages/redis/test/support/env.js';
import { REDIS_URL, runId } from '../support/env.js';
import { expectClean } from './check.js';
import { fuzzSeed } from './prng.js';
import { runFuzz } from './runner.js';

const skip = inject('redisAvailable') ? '' : 'no Redis at REDIS_URL';

it.skipIf(skip !== '')(
  `fuzz: redis, 5,000 mixed calls with 500 after close${skip ? ` (${skip})` : ''}`,
  async () => {
    const prefix = `msgport-fuzz-${runId()}:`;
    const url = `${REDIS_URL}?prefix=${encodeURIComponent(prefix)}`;
    const report = await runFuzz(
      {
        transport: 'redis',
        open: () => connect(url, { logger: false, callTimeoutMs: 5_000 }),
        cleanup: () => deletePrefix(REDIS_URL, prefix),
      },
      { seed: fuzzSeed(0x5eed_0002), calls: 5_000, afterClose: 500, concurrency: 4 },
    );
    expectClean(report, 5_000);
  },
  180_000,
);
