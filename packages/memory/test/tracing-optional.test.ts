import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

it('without @opentelemetry/api installed, publish → queue → consume works and adds no trace attribute', async () => {
  // NODE_OPTIONS, not a flag: tsx runs the script in a child process, which inherits it.
  const { stdout } = await run(
    'node',
    ['node_modules/tsx/dist/cli.mjs', '--conditions=source', fixture('consume-without-otel.ts')],
    {
      cwd: root,
      timeout: 60_000,
      env: { ...process.env, NODE_OPTIONS: `--require ${fixture('without-otel-api.cjs')}` },
    },
  );
  expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}')).toEqual({ apiMissing: true, seen: ['hello tenant'] });
}, 60_000);

it('core imports @opentelemetry/api only for types; the runtime loads it lazily (tracing/otel-api.ts)', async () => {
  const { readdir, readFile } = await import('node:fs/promises');
  const dir = fileURLToPath(new URL('../../core/src', import.meta.url));
  const files = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith('.ts'));
  const valueImports: string[] = [];
  for (const file of files) {
    const text = await readFile(`${dir}/${file}`, 'utf8');
    for (const line of text.split('\n')) {
      if (/from '@opentelemetry\//.test(line) && !/^import type /.test(line)) valueImports.push(`${file}: ${line}`);
    }
  }
  expect(valueImports).toEqual([]);
});
