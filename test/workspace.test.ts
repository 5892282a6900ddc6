import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const packages = readdirSync(join(root, 'packages'));
const manifest = (name: string) => JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
const transports = packages.filter((name) => !['core', 'conformance', 'sns'].includes(name));

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );

describe('workspace shape', () => {
  it.each(packages)('@msgport/%s is publishable ESM with types and the Node range', (name) => {
    const pkg = manifest(name);
    expect(pkg.name).toBe(`@msgport/${name}`);
    expect(pkg.type).toBe('module');
    expect(pkg.engines.node).toBe('>=20.19');
    expect(pkg.exports['.']).toEqual({
      source: './src/index.ts',
      types: './dist/index.d.ts',
      default: './dist/index.js',
    });
    expect(pkg.files).toEqual(['dist']);
  });

  it.each(transports)('the %s transport runs the shared conformance suite', (name) => {
    const file = readFileSync(join(root, 'packages', name, 'test', 'conformance.test.ts'), 'utf8');
    expect(file).toContain('runConformance(');
  });

  it.each(packages.filter((name) => !['core', 'conformance', 'memory'].includes(name)))(
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
