/**
 * Command-line settings shared by the benchmarks: `--url memory:// --messages 200000 --payload 256 --concurrency 8`,
 * `--json out.json`, `--footprint 1000000`, `--charts [dir]`.
 */
export interface BenchSettings {
  readonly url: string;
  readonly messages: number;
  readonly payloadBytes: number;
  readonly concurrency: number;
  readonly rounds: number;
  readonly only: readonly string[];
  /** `--json out.json`: also write every row, with its parameters, as JSON (for charts). */
  readonly json: string | undefined;
  /** Messages behind each footprint figure of the scale section (`--footprint`, default 1,000,000). */
  readonly footprintMessages: number;
  /** `--charts [dir]`: SVG charts of the run's sweep and scale rows into `dir` (default docs/images). */
  readonly charts: string | undefined;
}

export function parseArgs(argv: readonly string[]): BenchSettings {
  const get = (name: string, fallback: string) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 && argv[index + 1] !== undefined
      ? (argv[index + 1] as string)
      : (process.env[`BENCH_${name.toUpperCase()}`] ?? fallback);
  };
  return {
    url: get('url', 'memory://'),
    messages: Number(get('messages', '200000')),
    payloadBytes: Number(get('payload', '256')),
    concurrency: Number(get('concurrency', '8')),
    rounds: Number(get('rounds', '3')),
    only: get('only', '').split(',').filter(Boolean),
    json: get('json', '') || undefined,
    footprintMessages: Number(get('footprint', '1000000')),
    charts: chartsDir(argv),
  };
}

/** `--charts` takes an optional folder: `--charts`, `--charts out/`, or BENCH_CHARTS=dir. */
function chartsDir(argv: readonly string[]): string | undefined {
  const index = argv.indexOf('--charts');
  if (index < 0) return process.env.BENCH_CHARTS || undefined;
  const next = argv[index + 1];
  return next !== undefined && !next.startsWith('--') ? next : 'docs/images';
}
