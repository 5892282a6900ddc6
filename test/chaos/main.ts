/**
 * pnpm chaos --transport redis|rabbitmq|sqs --messages N [--consumers 4] [--seed S] [--rate R]
 *            [--restarts 2] [--idle 30] [--keep]
 *
 * Starts a private broker (never the shared ones) behind a cutting TCP proxy, a producer and
 * consumer processes, and attacks them: a consumer SIGKILLed every 2 s, every connection cut
 * every 3 s, the broker crashed and restarted twice where it persists. The last line is
 * `chaos <transport>: sent N, processed N, lost L, duplicates D (redeliveries R), max resume S s`;
 * the exit code is 0 only when everything was sent, nothing lost, every duplicate a redelivery
 * and every resume within 5 s. See docs/faults.md.
 */
import { choiceOption, numberOption } from '../support/cli-options.js';
import { toolMain } from '../support/tool-main.js';
import { CHAOS_TRANSPORTS } from './chaos-broker.js';
import { runChaos } from './run-chaos.js';

const KNOWN = ['transport', 'messages', 'consumers', 'seed', 'rate', 'restarts', 'idle', 'keep'];

await toolMain('chaos', KNOWN, (options, cleanup) => {
  const messages = numberOption(options, 'messages', 10_000);
  return runChaos(
    {
      transport: choiceOption(options, 'transport', CHAOS_TRANSPORTS),
      messages,
      consumers: numberOption(options, 'consumers', 4),
      seed: numberOption(options, 'seed', Date.now() % 100_000),
      // The send phase lasts at least 30 s, so every fault happens several times even on small runs.
      ratePerSecond: numberOption(options, 'rate', Math.min(1_000, Math.max(50, messages / 30))),
      killEverySeconds: 2,
      cutEverySeconds: 3,
      restarts: numberOption(options, 'restarts', 2),
      idleSeconds: numberOption(options, 'idle', 30),
      keep: options.has('keep'),
      progress: (line) => console.log(line),
    },
    cleanup,
  );
});
