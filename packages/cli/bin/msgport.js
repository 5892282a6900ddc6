#!/usr/bin/env node
// The msgport command: runs the compiled program in dist/ (`pnpm build` creates it in a clone).
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('msgport: the CLI is not built yet; run `pnpm build` at the repository root\n');
  process.exit(1);
}
await import(main.href);
