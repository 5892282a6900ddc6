/**
 * pnpm failover --transport rabbitmq|redis-cluster|redis-sentinel [--messages N] [--restart]
 *               [--restart-after 10] [--rate R] [--idle 30] [--keep]
 *
 * Starts a private cluster on free loopback ports (never the shared servers), a producer and a
 * consumer process on the cluster URL, and SIGKILLs the node that leads the queue and holds the
 * clients' connections a third of the way in (with --restart it comes back after 10 s). The last
 * line is `failover <transport>: sent N, processed N, lost L, duplicates D, max resume S s, errors E`;
 * exit code 0 only when everything was sent, nothing lost, the flow resumed within 10 s, no client
 * process died, and every error the clients saw was a typed, retryable one. See docs/faults.md.
 */
import { choiceOption, numberOption } from '../support/cli-options.js';
import { toolMain } from '../support/tool-main.js';
import { FAILOVER_TRANSPORTS } from './failover-cluster.js';
import { runFailover } from './run-failover.js';

const KNOWN = ['transport', 'messages', 'restart', 'restart-after', 'rate', 'idle', 'keep'];

await toolMain('failover', KNOWN, (options, cleanup) => {
  const messages = numberOption(options, 'messages', 5_000);
  const restart = options.has('restart') || options.has('restart-after');
  return runFailover(
    {
      transport: choiceOption(options, 'transport', FAILOVER_TRANSPORTS),
      messages,
      ratePerSecond: numberOption(options, 'rate', Math.min(1_000, Math.max(50, messages / 30))),
      restartAfterSeconds: restart ? numberOption(options, 'restart-after', 10) : undefined,
      idleSeconds: numberOption(options, 'idle', 30),
      keep: options.has('keep'),
      progress: (line) => console.log(line),
    },
    cleanup,
  );
});
