/**
 * Charts of a bench run as SVG, rendered in Node by vega (no browser): `pnpm bench --charts [dir]`
 * after a run, or `tsx bench/charts/render.ts run.json [dir]` from a `--json` file. Default folder: docs/images.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import { type ChartRow, chartsOf } from './specs.js';

export const DEFAULT_CHART_DIR = 'docs/images';

/** Writes every chart the rows have data for into `dir`; returns the paths written. */
export async function writeCharts(rows: readonly ChartRow[], dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const chart of chartsOf(rows)) {
    const view = new View(parse(compile(chart.spec).spec), { renderer: 'none' });
    // A static image: its <title> names it; vega's ARIA roles on groups and axes are for live views.
    const svg = (await view.toSVG())
      .replace(/ (?:role|aria-[a-z]+)="[^"]*"/g, '')
      .replace(/^<svg[^>]*>/, (open) => `${open}<title>${escapeXml(chart.title)}</title>`);
    view.finalize();
    const file = path.join(dir, chart.file);
    writeFileSync(file, `${svg}\n`);
    written.push(file);
  }
  return written;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [input, dir = DEFAULT_CHART_DIR] = process.argv.slice(2);
  if (!input) throw new Error('usage: tsx bench/charts/render.ts run.json [dir]');
  const run = JSON.parse(readFileSync(input, 'utf8')) as { rows: ChartRow[] };
  for (const file of await writeCharts(run.rows, dir)) console.log(`wrote ${file}`);
}
