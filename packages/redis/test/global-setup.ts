import type { TestProject } from 'vitest/node';
import { IN_CI, REDIS_URL } from './support/env.js';
import { ping, redisBinariesInstalled } from './support/redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared Redis answers PING. */
    redisAvailable: boolean;
    /** redis-server and redis-cli are installed (private servers, cluster, restarts). */
    redisBinaries: boolean;
  }
}

/**
 * Checks the servers once for the whole project. Under CI=true a missing Redis or missing
 * binaries fail the run here; otherwise the Redis tests skip and say why.
 */
export default async function setup(project: TestProject): Promise<void> {
  const url = new URL(REDIS_URL);
  const available = await ping(Number(url.port || 6379), 2000, url.hostname || '127.0.0.1');
  const binaries = await redisBinariesInstalled();
  if (IN_CI && !available) {
    throw new Error(`CI=true but no Redis answers at ${url.host}; run .ci/ensure-redis.sh first`);
  }
  if (IN_CI && !binaries) throw new Error('CI=true but redis-server/redis-cli are not installed');
  if (!available)
    console.warn(`\n[redis] no Redis at ${url.host}: the redis tests are SKIPPED (CI=true makes this fail)\n`);
  if (!binaries) console.warn('\n[redis] redis-server is not installed: cluster and restart tests are SKIPPED\n');
  project.provide('redisAvailable', available);
  project.provide('redisBinaries', binaries);
}
