import { containerRuntimeAnswers, inCi, provideService, startRedisContainer } from '@msgport/test-support';
import type { TestProject } from 'vitest/node';
import { ping, redisBinariesInstalled } from './support/redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared Redis the tests use: REDIS_URL, the local default, or a testcontainers one. */
    redisUrl: string;
    /** That Redis answers PING. */
    redisAvailable: boolean;
    /** redis-server and redis-cli are installed (private servers, cluster, restarts). */
    redisBinaries: boolean;
  }
}

/**
 * Finds the Redis for the whole project once (see @msgport/test-support's `provideService`):
 * REDIS_URL or 127.0.0.1:6379 when it answers, else a testcontainers Redis when Docker answers,
 * else the Redis tests skip with a notice (CI=true fails instead). Missing binaries fail under CI too.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const ci = inCi();
  const configured = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const address = new URL(configured);
  const service = await provideService(
    { name: 'Redis', url: configured, displayUrl: address.host, hint: 'run .ci/ensure-redis.sh or set REDIS_URL', ci },
    {
      reachable: () => ping(Number(address.port || 6379), 2000, address.hostname || '127.0.0.1'),
      containerRuntime: containerRuntimeAnswers,
      startContainer: startRedisContainer,
    },
  );
  const binaries = await redisBinariesInstalled();
  if (ci && !binaries) throw new Error('CI=true but redis-server/redis-cli are not installed');
  if (!binaries) console.warn('\n[redis] redis-server is not installed: cluster and restart tests are SKIPPED\n');
  project.provide('redisUrl', service.source === 'none' ? configured : service.url);
  project.provide('redisAvailable', service.source !== 'none');
  project.provide('redisBinaries', binaries);
  return () => service.stop();
}
