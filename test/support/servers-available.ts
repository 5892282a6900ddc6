import { execFileSync } from 'node:child_process';
import { RabbitNode } from './rabbit-node.js';

/** Why a fault run cannot start here ('' when it can): a missing redis-server or RabbitMQ install. */
export function missingServer(kind: 'redis' | 'rabbitmq' | 'sqs'): string {
  if (kind === 'sqs') return '';
  if (kind === 'rabbitmq') return RabbitNode.installed() ? '' : 'rabbitmq-server is not installed';
  try {
    execFileSync('redis-server', ['--version']);
    execFileSync('redis-cli', ['--version']);
    return '';
  } catch {
    return 'redis-server or redis-cli is not installed';
  }
}

/**
 * With CI=true a missing server is a failure, never a silent skip; elsewhere the test is skipped
 * with the reason in its title.
 */
export function skipReason(kind: 'redis' | 'rabbitmq' | 'sqs'): string {
  const missing = missingServer(kind);
  if (missing && process.env.CI === 'true') throw new Error(`${missing} and CI=true`);
  return missing;
}
