#!/usr/bin/env node
/**
 * What npm users get: packs every published package with `pnpm pack` (after `pnpm build`), checks
 * each tarball (only built output — dist/, and a CLI's bin/ and assets, as `files` lists them —
 * README.md, LICENSE and package.json; every export and bin target present; no `source` condition;
 * no `workspace:` range; source maps with their sources), installs all tarballs
 * with npm into a scratch project outside the workspace (third-party dependencies and peers from the
 * registry, @msgport/* only from the tarballs), and there
 *   - loads every export with `import` and with `require()`, runs a memory:// round trip through
 *     `connect()` (which finds @msgport/memory by itself) and each installed command with `--help`,
 *     on each Node binary given;
 *   - type-checks an ES module and a CommonJS file importing every export (TypeScript, nodenext).
 *
 * Usage: node .ci/check-packages.mjs [node-binary…]   (default: the Node running this script)
 * KEEP_SCRATCH=1 leaves the scratch directory in place.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nodes = process.argv.length > 2 ? process.argv.slice(2) : [process.execPath];
const scratch = mkdtempSync(join(tmpdir(), 'msgport-packages-'));
const problems = [];
const problem = (message) => problems.push(message);
/** The commands the packages install: `{ command, file }`, file relative to the scratch project. */
const commands = [];

function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

function filesUnder(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every string in an exports map with the conditions that lead to it. */
function exportTargets(value, path = []) {
  if (typeof value === 'string') return [{ path, target: value }];
  return Object.entries(value ?? {}).flatMap(([key, inner]) => exportTargets(inner, [...path, key]));
}

function packAll() {
  const destination = join(scratch, 'tarballs');
  mkdirSync(destination);
  const packed = [];
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
    if (manifest.private) continue;
    const output = run('pnpm', ['pack', '--json', '--pack-destination', destination], {
      cwd: join(root, 'packages', dir),
    });
    packed.push({ name: manifest.name, tarball: JSON.parse(output).filename });
  }
  return packed;
}

function checkTarball({ name, tarball }) {
  const unpacked = join(scratch, 'unpacked', name);
  mkdirSync(unpacked, { recursive: true });
  run('tar', ['-xzf', tarball, '-C', unpacked]);
  const base = join(unpacked, 'package');
  const files = filesUnder(base).map((file) => relative(base, file));
  const manifest = JSON.parse(readFileSync(join(base, 'package.json'), 'utf8'));
  // What runs: the built code (`files`: dist/, and a CLI's bin/ and static assets), never sources or tests.
  const shipped = (manifest.files ?? []).filter((entry) => !['src', 'test'].includes(entry));
  for (const file of files) {
    const listed = shipped.some((entry) => file === entry || file.startsWith(`${entry}/`));
    if (!['package.json', 'README.md', 'LICENSE'].includes(file) && !listed) {
      problem(`${name}: ships ${file}, which is neither built output (${shipped.join(', ')}) nor README.md, LICENSE`);
    }
  }
  for (const required of ['README.md', 'LICENSE']) {
    if (!files.includes(required)) problem(`${name}: the tarball has no ${required}`);
  }
  for (const [command, target] of Object.entries(manifest.bin ?? {})) {
    if (!existsSync(join(base, target))) problem(`${name}: bin ${command} → ${target} is not in the tarball`);
    commands.push({ command, file: join('node_modules', name, target) });
  }
  for (const { path, target } of exportTargets(manifest.exports)) {
    if (path.includes('source')) problem(`${name}: exports ${path.join(' → ')} keeps the source condition`);
    if (!existsSync(join(base, target)))
      problem(`${name}: exports ${path.join(' → ')} → ${target} is not in the tarball`);
  }
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dependency, range] of Object.entries(manifest[field] ?? {})) {
      if (range.startsWith('workspace:')) problem(`${name}: ${field}.${dependency} is still ${range}`);
    }
  }
  for (const map of files.filter((file) => file.endsWith('.map'))) {
    const { sources = [], sourcesContent = [] } = JSON.parse(readFileSync(join(base, map), 'utf8'));
    if (sourcesContent.length !== sources.length || sourcesContent.some((content) => typeof content !== 'string')) {
      problem(`${name}: ${map} points at sources it does not carry (no sourcesContent)`);
    }
  }
  return Object.keys(manifest.exports).map((subpath) => (subpath === '.' ? name : `${name}/${subpath.slice(2)}`));
}

function install(packed) {
  const app = join(scratch, 'app');
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify({ name: 'msgport-install-check', private: true }, null, 2)}\n`,
  );
  // All tarballs in one install, so @msgport/* dependencies between them resolve to the tarballs.
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...packed.map((p) => p.tarball)], { cwd: app });
  const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8'));
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (/(^|\/)node_modules\/@msgport\//.test(path) && !String(entry.resolved ?? '').startsWith('file:')) {
      problem(`${path} was installed from ${entry.resolved ?? 'somewhere else'}, not from a packed tarball`);
    }
  }
  return app;
}

const roundTrip = `
  const broker = await connect('memory://');
  const queue = await broker.createQueue('install-check');
  await queue.send('hello');
  const [message] = await queue.receive();
  if (message?.body !== 'hello') throw new Error('memory:// round trip failed');
  await broker.close();`;

function writeLoaders(app) {
  writeFileSync(
    join(app, 'load.mjs'),
    `const names = {};
for (const specifier of JSON.parse(process.argv[2])) names[specifier] = Object.keys(await import(specifier)).sort();
const { connect } = await import('@msgport/core');${roundTrip}
console.log(JSON.stringify(names));
`,
  );
  writeFileSync(
    join(app, 'load.cjs'),
    `const names = {};
for (const specifier of JSON.parse(process.argv[2])) {
  names[specifier] = Object.keys(require(specifier)).filter((name) => name !== '__esModule').sort();
}
const { connect } = require('@msgport/core');
(async () => {${roundTrip}
  console.log(JSON.stringify(names));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`,
  );
}

function checkLoads(app, node, specifiers) {
  const version = run(node, ['--version']).trim();
  const results = {};
  for (const loader of ['load.mjs', 'load.cjs']) {
    const result = spawnSync(node, [loader, JSON.stringify(specifiers)], { cwd: app, encoding: 'utf8' });
    if (result.status !== 0) {
      problem(`Node ${version}, ${loader}: exit ${result.status}\n${result.stderr}`);
      continue;
    }
    if (result.stderr.trim()) console.log(`Node ${version}, ${loader} wrote to stderr:\n${result.stderr.trim()}`);
    results[loader] = JSON.parse(result.stdout);
  }
  for (const specifier of specifiers) {
    const esm = results['load.mjs']?.[specifier];
    const cjs = results['load.cjs']?.[specifier];
    if (esm && esm.length === 0) problem(`Node ${version}: import('${specifier}') has no exports`);
    if (esm && cjs && JSON.stringify(esm) !== JSON.stringify(cjs)) {
      problem(`Node ${version}: require('${specifier}') and import('${specifier}') differ`);
    }
  }
  for (const { command, file } of commands) {
    const result = spawnSync(node, [file, '--help'], { cwd: app, encoding: 'utf8' });
    if (result.status !== 0) problem(`Node ${version}: \`${command} --help\` exits ${result.status}\n${result.stderr}`);
  }
  const ran = commands.map(({ command }) => `, \`${command} --help\``).join('');
  console.log(`Node ${version}: import and require() of ${specifiers.length} entry points, memory:// round trip${ran}`);
}

function checkTypes(app, specifiers) {
  const body = specifiers.map((specifier, i) => `import * as m${i} from '${specifier}';`).join('\n');
  const use = `\nexport const loaded = [${specifiers.map((_, i) => `m${i}`).join(', ')}];\n`;
  writeFileSync(join(app, 'types.mts'), body + use);
  writeFileSync(join(app, 'types.cts'), body + use);
  const compilerOptions = { noEmit: true, strict: true, skipLibCheck: true, module: 'nodenext', types: [] };
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['types.mts', 'types.cts'] }));
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
  if (result.status !== 0)
    problem(`TypeScript (nodenext, ESM and CommonJS) cannot use the packages:\n${result.stdout}`);
  else console.log(`TypeScript: ${specifiers.length} entry points type-check from ESM and CommonJS`);
}

try {
  const packed = packAll();
  const specifiers = packed.flatMap(checkTarball);
  console.log(`packed ${packed.map((p) => relative(scratch, p.tarball)).join(', ')}`);
  const app = install(packed);
  writeLoaders(app);
  for (const node of nodes) checkLoads(app, node, specifiers);
  checkTypes(app, specifiers);
} catch (error) {
  problem(String(error?.stderr || error?.stack || error));
} finally {
  if (process.env.KEEP_SCRATCH === '1') console.log(`scratch directory kept: ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`\n${problems.length} packaging problem(s):\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('packages: OK');
