import type { TopLevelSpec } from 'vega-lite';

/** A row as `--json` writes it (the fields the charts read). */
export interface ChartRow {
  readonly name: string;
  readonly value: number;
  readonly baseline?: { readonly name: string; readonly value: number };
  readonly params?: Readonly<Record<string, string | number>>;
}

export interface Chart {
  /** File name under the charts folder. */
  readonly file: string;
  /** What the chart shows, in words (the SVG's <title>). */
  readonly title: string;
  readonly spec: TopLevelSpec;
}

const FONT = 'Helvetica, Arial, sans-serif';
const config = {
  // No ARIA roles on the marks: a static image in docs, where the chart's <title> says what it shows.
  aria: false,
  font: FONT,
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 11, gridColor: '#eee' },
  header: { labelFontSize: 12, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 11 },
} as const;

const payloadLabel = (bytes: number) => (bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} B`);
const depthLabel = (n: number) => (n === 0 ? 'empty' : n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1_000}k`);

/**
 * Throughput of msgport and of its alternative per transport (one panel each, log scale, each panel
 * its own axis), over the sweep's concurrency (at 256 B) or payload (at concurrency 16).
 */
function sweepChart(rows: readonly ChartRow[], over: 'concurrency' | 'payload'): Chart | undefined {
  const sweep = rows.filter((row) => row.params?.section === 'sweep' && row.baseline);
  const picked = sweep.filter((row) =>
    over === 'concurrency' ? row.params?.payload === 256 : row.params?.concurrency === 16,
  );
  if (picked.length === 0) return undefined;
  const values = picked.flatMap((row) => {
    const x = Number(row.params?.[over]);
    const panel = `${row.params?.transport} vs ${row.params?.alternative}`;
    const label = over === 'payload' ? payloadLabel(x) : String(x);
    return [
      { panel, x, label, contender: 'msgport', rate: row.value },
      { panel, x, label, contender: 'alternative', rate: row.baseline?.value ?? 0 },
    ];
  });
  const title = over === 'concurrency' ? 'concurrency (consumers), 256 B bodies' : 'payload, concurrency 16';
  const heading = `Produce + process throughput vs ${over} (msg/s, log scale; higher is better)`;
  return {
    file: `bench-${over}.svg`,
    title: `${heading}: msgport against the alternative on each transport`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: heading,
      data: { values },
      facet: { field: 'panel', type: 'nominal', title: null },
      columns: 2,
      spec: {
        width: 300,
        height: 170,
        layer: [
          { mark: { type: 'line', point: true } },
          {
            mark: { type: 'text', dy: -9, fontSize: 9 },
            encoding: { text: { field: 'rate', type: 'quantitative', format: '.3~s' } },
          },
        ],
        encoding: {
          x: { field: 'label', type: 'ordinal', sort: { field: 'x' }, title, axis: { labelAngle: 0 } },
          y: { field: 'rate', type: 'quantitative', scale: { type: 'log' }, title: 'msg/s' },
          color: {
            field: 'contender',
            type: 'nominal',
            scale: { domain: ['msgport', 'alternative'], range: ['#1f77b4', '#ff7f0e'] },
            title: null,
          },
        },
      },
      resolve: { scale: { y: 'independent' } },
      config,
    },
  };
}

const DEPTH_TITLE = 'Send → receive → delete throughput against backlog depth (× the empty queue; target ≥ 0.8)';

/** The scale section's backlog rows: throughput as a fraction of the empty queue's, against depth. */
function depthChart(rows: readonly ChartRow[]): Chart | undefined {
  const backlog = rows.filter(
    (row) => row.params?.section === 'scale' && row.params?.case === 'backlog' && row.baseline,
  );
  if (backlog.length === 0) return undefined;
  const values = backlog.map((row) => ({
    transport: String(row.params?.transport),
    backlog: String(row.params?.backlog),
    depth: Number(row.params?.depth),
    label: depthLabel(Number(row.params?.depth)),
    ratio: row.value / (row.baseline?.value ?? row.value),
  }));
  const empties = [...new Set(values.map((v) => `${v.transport}\u0000${v.backlog}`))].map((key) => {
    const [transport = '', kind = ''] = key.split('\u0000');
    return { transport, backlog: kind, depth: 0, label: depthLabel(0), ratio: 1 };
  });
  return {
    file: 'bench-depth.svg',
    title: DEPTH_TITLE,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: DEPTH_TITLE,
      data: { values: [...empties, ...values] },
      facet: { field: 'transport', type: 'nominal', title: null },
      spec: {
        width: 300,
        height: 200,
        layer: [
          {
            mark: { type: 'line', point: true },
            encoding: {
              x: {
                field: 'label',
                type: 'ordinal',
                sort: { field: 'depth' },
                title: 'messages queued',
                axis: { labelAngle: 0 },
              },
              y: { field: 'ratio', type: 'quantitative', scale: { zero: true }, title: '× empty queue' },
              color: { field: 'backlog', type: 'nominal', title: 'backlog' },
            },
          },
          { mark: { type: 'rule', strokeDash: [4, 4], color: '#999' }, encoding: { y: { datum: 0.8 } } },
        ],
      },
      resolve: { scale: { x: 'independent' } },
      config,
    },
  };
}

/** Every chart the rows have data for. */
export function chartsOf(rows: readonly ChartRow[]): Chart[] {
  return [sweepChart(rows, 'concurrency'), sweepChart(rows, 'payload'), depthChart(rows)].filter(
    (chart): chart is Chart => chart !== undefined,
  );
}
