import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const packages = readdirSync(join(root, 'packages'));
const manifest = (name: string) => JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
const read = (...path: string[]) => readFileSync(join(root, ...path), 'utf8');
/** Packages published to npm (private ones, such as test-support, are workspace-only). */
const published = packages.filter((name) => manifest(name).private !== true);
// Packages that are not transports: core, the suite, the command line; sns is part of the sqs transport.
const notTransports = ['core', 'conformance', 'cli'];
const transports = published.filter((name) => ![...notTransports, 'sns'].includes(name));

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );

describe('workspace shape', () => {
  it.each(published)('@msgport/%s is publishable ESM with types and the Node range', (name) => {
    const pkg = manifest(name);
    expect(pkg.name).toBe(`@msgport/${name}`);
    expect(pkg.type).toBe('module');
    expect(pkg.engines.node).toBe('^20.19.0 || >=22.12.0');
    expect(pkg.exports['.']).toEqual({
      source: './src/index.ts',
      types: './dist/index.d.ts',
      default: './dist/index.js',
    });
    // The CLI also publishes its bin launcher and the console's static page.
    expect(pkg.files).toEqual(name === 'cli' ? ['bin', 'dist', 'public'] : ['dist']);
  });

  it.each(published)('@msgport/%s publishes its exports without the `source` condition', (name) => {
    const { exports, publishConfig } = manifest(name);
    const withoutSource = Object.fromEntries(
      Object.entries(exports as Record<string, Record<string, string>>).map(([path, { source: _, ...rest }]) => [
        path,
        rest,
      ]),
    );
    expect(publishConfig).toEqual({ access: 'public', exports: withoutSource });
  });

  it.each(packages)('@msgport/%s has a README and the root LICENSE', (name) => {
    expect(read('packages', name, 'README.md')).toMatch(new RegExp(`^# @msgport/${name}\n`));
    expect(read('packages', name, 'LICENSE')).toBe(read('LICENSE'));
  });

  it.each(published)('the peer dependencies of @msgport/%s are bounded to tested majors', (name) => {
    for (const range of Object.values<string>(manifest(name).peerDependencies ?? {})) {
      expect(range).toMatch(/^>=\d[\d.]* <\d+$/);
    }
  });

  it.each(transports)('the %s transport runs the shared conformance suite', (name) => {
    const file = readFileSync(join(root, 'packages', name, 'test', 'conformance.test.ts'), 'utf8');
    expect(file).toContain('runConformance(');
  });

  it.each(published.filter((name) => ![...notTransports, 'memory'].includes(name)))(
    'the %s transport takes its SDK as a peer dependency',
    (name) => {
      expect(Object.keys(manifest(name).peerDependencies ?? {}).length).toBeGreaterThan(0);
    },
  );

  it('core never imports a transport', () => {
    const offenders = sourceFiles(join(root, 'packages', 'core', 'src')).filter((file) =>
      /from '@msgport\/(memory|redis|rabbitmq|sqs|sns)'/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('eventemitter3 is the only event emitter', () => {
    const offenders = packages.flatMap((name) =>
      sourceFiles(join(root, 'packages', name, 'src')).filter((file) =>
        /import\s*\{[^}]*\bEventEmitter\b[^}]*\}\s*from\s*'(node:)?events'/.test(readFileSync(file, 'utf8')),
      ),
    );
    expect(offenders).toEqual([]);
  });

  it('no `any` in published sources', () => {
    const anyType = /(:\s*any\s*([;,)=|&\]>]|$)|\bas any\b|<any[,>]|\bany\[\])/;
    const code = (file: string) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line));
    const offenders = packages.flatMap((name) =>
      sourceFiles(join(root, 'packages', name, 'src')).filter((file) => code(file).some((line) => anyType.test(line))),
    );
    expect(offenders).toEqual([]);
  });
});
