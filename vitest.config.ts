import { defineConfig } from 'vitest/config';

// Each package owns its project config (packages/*/vitest.config.ts, built with vitest.shared.ts).
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'examples/vitest.config.ts', 'test/vitest.config.ts'],
  },
});
