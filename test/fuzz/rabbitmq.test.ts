import { connect } from '@msgport/core';
import '@msgport/rabbitmq';
import { inject, it } from 'vitest';
import { AMQP_URL } from '../support/env.js';
import { RabbitNamespaces } from '../support/rabbit-namespaces.js';
import { expectClean } from './check.js';
import { fuzzSeed } from './prng.js';
import { runFuzz } from './runner.js';

const skip = inject('rabbitmqUnavailable');

it.skipIf(skip !== '')(
  `fuzz: rabbitmq, 5,000 mixed calls with 500 after close${skip ? ` (${skip})` : ''}`,
  async () => {
    const namespaces = new RabbitNamespaces();
    const url = namespaces.url(AMQP_URL, 'fz');
    try {
      const report = await runFuzz(
        // close() puts the feeds' buffers back within half of callTimeoutMs; before it did, close took
        // over 5 s in 2 of 5 CI runs on the shared broker (docs/transports/rabbitmq.md, failures).
        { transport: 'rabbitmq', open: () => connect(url, { logger: false, callTimeoutMs: 5_000 }) },
        { seed: fuzzSeed(0x5eed_0003), calls: 5_000, afterClose: 500, concurrency: 4 },
      );
      expectClean(report, 5_000);
    } finally {
      await namespaces.removeAll();
    }
  },
  240_000,
);
