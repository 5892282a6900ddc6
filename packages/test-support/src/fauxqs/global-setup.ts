/**
 * Vitest global setup: starts fauxqs 1.9.2 in-process on a free loopback port and provides its
 * endpoint to the tests (`inject('fauxqsEndpoint')`). Each project that lists this file gets its own
 * server, so projects run in parallel without sharing state. With CI=true a failure to start is a
 * test failure; elsewhere the suites that need it are skipped with a visible notice.
 */
import { buildApp } from 'fauxqs';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>`, or '' when fauxqs could not start outside CI. */
    fauxqsEndpoint: string;
    fauxqsStartError: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const app = buildApp({ logger: false });
  try {
    const endpoint = await app.listen({ port: 0, host: '127.0.0.1' });
    project.provide('fauxqsEndpoint', endpoint);
    project.provide('fauxqsStartError', '');
    return async () => {
      await app.close();
    };
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    const reason = error instanceof Error ? error.message : String(error);
    console.warn(`\n*** fauxqs did not start (${reason}): the SQS/SNS emulator tests are SKIPPED ***\n`);
    project.provide('fauxqsEndpoint', '');
    project.provide('fauxqsStartError', reason);
    return undefined;
  }
}
