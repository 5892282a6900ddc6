import { defineProject, type TestProjectInlineConfiguration } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the `source` export condition.
// No `module` condition: some packages (the AWS SDK) map it to builds meant for bundlers only.
const conditions = ['source', 'node', 'development|production'];

type TestOptions = NonNullable<TestProjectInlineConfiguration['test']>;

/** The vitest project of one workspace package: its tests under `test/`, sources resolved from `src/`. */
export function msgportProject(name: string, test: TestOptions = {}) {
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['source'] } },
    test: { name, include: ['test/**/*.test.ts'], ...test },
  });
}
