import { connect } from '@msgport/core';
import '@msgport/sns';
import { inject, it } from 'vitest';
import { expectClean } from './check.js';
import { fuzzSeed } from './prng.js';
import { runFuzz } from './runner.js';

const endpoint = inject('fauxqsEndpoint');

it.skipIf(endpoint === '')(
  'fuzz: sqs (fauxqs), 5,000 mixed calls with 500 after close',
  async () => {
    const url = `sqs://?region=us-east-1&endpoint=${encodeURIComponent(endpoint)}&accessKeyId=test&secretAccessKey=test`;
    const report = await runFuzz(
      { transport: 'sqs', open: () => connect(url, { logger: false, callTimeoutMs: 5_000 }) },
      { seed: fuzzSeed(0x5eed_0004), calls: 5_000, afterClose: 500, concurrency: 4 },
    );
    expectClean(report, 5_000);
  },
  240_000,
);
