/** Runs `work` `rounds` times after one warm-up and returns the median messages per second. */
export async function throughput(rounds: number, messages: number, work: () => Promise<void>): Promise<number> {
  await work();
  const rates: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = process.hrtime.bigint();
    await work();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    rates.push(messages / seconds);
  }
  return median(rates);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export interface Row {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: { readonly name: string; readonly value: number };
  /** For latency rows a lower value is better, so the ratio is baseline / value. */
  readonly lowerIsBetter?: boolean;
  /** What the row measured, for machine-readable output (`--json`): transport, backlog, depth, … */
  readonly params?: Readonly<Record<string, string | number>>;
}

/** The row's ratio to its baseline (above 1 is better), or `undefined` without one. */
export function ratioOf(row: Row): number | undefined {
  if (!row.baseline) return undefined;
  return row.lowerIsBetter ? row.baseline.value / row.value : row.value / row.baseline.value;
}

export function formatRow(row: Row): string {
  const digits = row.unit === 'ms' ? 3 : 1;
  const value = `${row.value.toLocaleString('en-US', { maximumFractionDigits: digits })} ${row.unit}`;
  if (!row.baseline) return `${row.name.padEnd(58)} ${value}`;
  const ratio = ratioOf(row) as number;
  const base = `${row.baseline.value.toLocaleString('en-US', { maximumFractionDigits: digits })} ${row.unit}`;
  return `${row.name.padEnd(58)} ${value.padStart(18)}  vs ${row.baseline.name}: ${base.padStart(16)}  ratio ${ratio.toFixed(2)}×`;
}
