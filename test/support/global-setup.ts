import startFauxqs from '@msgport/test-support/fauxqs-global-setup';
import type { TestProject } from 'vitest/node';
import checkRabbitmq from '../../packages/rabbitmq/test/support/global-setup.js';
import checkRedis from '../../packages/redis/test/global-setup.js';

/**
 * The transports' own checks of the shared servers (`redisAvailable`, `rabbitmqUnavailable`: with
 * CI=true a missing server fails the run, otherwise its suites skip and say why) and this project's
 * own fauxqs.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  await checkRedis(project);
  await checkRabbitmq(project);
  return startFauxqs(project);
}
