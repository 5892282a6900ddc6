import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the `source` export condition.
const conditions = ['source', 'module', 'node', 'development|production'];

const project = (name: string, include: string[]) => ({
  extends: true as const,
  test: { name, include },
});

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
  test: {
    projects: [
      project('core', ['packages/core/test/**/*.test.ts']),
      project('memory', ['packages/memory/test/**/*.test.ts']),
      project('conformance', ['packages/conformance/test/**/*.test.ts']),
      project('examples', ['examples/test/**/*.test.ts']),
    ],
  },
});
