/** Command-line settings shared by the benchmarks: `--url memory:// --messages 200000 --payload 256 --concurrency 8`. */
export interface BenchSettings {
  readonly url: string;
  readonly messages: number;
  readonly payloadBytes: number;
  readonly concurrency: number;
  readonly rounds: number;
  readonly only: readonly string[];
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
  };
}
