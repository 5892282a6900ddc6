import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

interface StaticFile {
  readonly path: string;
  readonly type: string;
}

const require = createRequire(import.meta.url);
// public/ sits next to src/ and dist/, so the same relative path works from both.
const publicFile = (name: string) => fileURLToPath(new URL(`../../public/${name}`, import.meta.url));

/** The console's page and assets; uPlot comes straight from its package in node_modules. */
const FILES: Readonly<Record<string, StaticFile>> = {
  '/': { path: publicFile('index.html'), type: 'text/html; charset=utf-8' },
  '/app.js': { path: publicFile('app.js'), type: 'text/javascript; charset=utf-8' },
  '/style.css': { path: publicFile('style.css'), type: 'text/css; charset=utf-8' },
  '/vendor/uPlot.js': { path: require.resolve('uplot/dist/uPlot.iife.min.js'), type: 'text/javascript; charset=utf-8' },
  '/vendor/uPlot.css': { path: require.resolve('uplot/dist/uPlot.min.css'), type: 'text/css; charset=utf-8' },
};

/** The file served at `pathname`, or undefined when there is none (only the names above are served). */
export async function staticFile(pathname: string): Promise<{ body: Buffer; type: string } | undefined> {
  const file = FILES[pathname];
  if (!file) return undefined;
  return { body: await readFile(file.path), type: file.type };
}
