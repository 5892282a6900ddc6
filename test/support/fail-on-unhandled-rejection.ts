import { afterEach, expect } from 'vitest';

/**
 * A vitest setup file every project loads (see vitest.shared.ts): a promise rejection nobody
 * handles fails the test it happened in, with the reason, instead of only a warning at the end of
 * the run. msgport promises that nothing it starts becomes an unhandled rejection (DESIGN §5, §6).
 */
const unhandled: unknown[] = [];

process.on('unhandledRejection', (reason) => {
  unhandled.push(reason);
});

afterEach(async () => {
  // Rejections are reported after the microtask queue drains: give the last ones a turn.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const reasons = unhandled.splice(0);
  expect(reasons, 'unhandled promise rejections during this test').toEqual([]);
});
