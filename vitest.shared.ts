import { fileURLToPath } from 'node:url';
import { defineProject, type TestProjectInlineConfiguration } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the `source` export condition.
// No `module` condition: some packages (the AWS SDK) map it to builds meant for bundlers only.
const conditions = ['source', 'node', 'development|production'];

type TestOptions = NonNullable<TestProjectInlineConfiguration['test']>;

/** Fails the test in which a promise rejection went unhandled (every project loads it). */
const failOnUnhandledRejection = fileURLToPath(
  new URL('./test/support/fail-on-unhandled-rejection.ts', import.meta.url),
);

/** The vitest project of one workspace package: its tests under `test/`, sources resolved from `src/`. */
export function msgportProject(name: string, test: TestOptions = {}) {
  const setupFiles = [failOnUnhandledRejection, ...[test.setupFiles ?? []].flat()];
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['source'] } },
    test: { name, include: ['test/**/*.test.ts'], ...test, setupFiles },
  });
}

/**
 * Environment for projects that create AWS SDK clients. On Node 20 the SDK warns once per process
 * that its releases after early January 2027 need Node 22 (NodeVersionSupportWarning). msgport's
 * Node policy (README, "Node versions") already covers that date, so the tests turn the warning off
 * with the SDK's documented switch (https://github.com/aws/aws-sdk-js-v3/issues/7983); it has no
 * effect on Node 22 and later, where the SDK does not warn.
 */
export const awsSdkTestEnv = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
