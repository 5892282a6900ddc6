import { describe, expect, it } from 'vitest';
import { Cleanup } from '../support/cleanup.js';
import { skipReason } from '../support/servers-available.js';
import { FAILOVER_TRANSPORTS } from './failover-cluster.js';
import { KNOWN_FAILOVER_FAILURES } from './known-failures.js';
import { MAX_FAILOVER_RESUME_SECONDS, runFailover } from './run-failover.js';

const MESSAGES = 1_500;

describe('pnpm failover (short)', () => {
  for (const transport of FAILOVER_TRANSPORTS) {
    const skip = skipReason(transport === 'rabbitmq' ? 'rabbitmq' : 'redis');
    const known = KNOWN_FAILOVER_FAILURES[transport];
    const test = skip ? it.skip : known ? it.fails : it;
    const title = `${transport}, ${MESSAGES} messages, the queue's leader killed${
      skip ? ` — SKIPPED: ${skip}` : known ? ` — KNOWN FAILURE: ${known}` : ''
    }`;
    test(title, async () => {
      const cleanup = new Cleanup();
      try {
        const result = await runFailover(
          {
            transport,
            messages: MESSAGES,
            ratePerSecond: MESSAGES / 20,
            restartAfterSeconds: undefined,
            idleSeconds: 15,
            keep: process.env.MSGPORT_KEEP_FAULT_RUNS === '1',
            progress: () => undefined,
          },
          cleanup,
        );
        console.info([...result.details, result.line].join('\n'));
        expect(result.rejected).toBeUndefined();
        expect(result.sent).toBe(MESSAGES);
        expect(result.lost).toBe(0);
        expect(result.maxResumeSeconds).toBeLessThanOrEqual(MAX_FAILOVER_RESUME_SECONDS);
        expect(result.passed).toBe(true);
      } finally {
        await cleanup.run();
      }
    });
  }
});
