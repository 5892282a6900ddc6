import type { QueueMetrics } from '@msgport/core';

/** A per-queue table: sent, received, deleted, in flight and the depth of its dead-letter queue. */
export function formatQueueTable(
  metrics: Record<string, QueueMetrics>,
  dlqOf: Readonly<Record<string, string | undefined>>,
): string {
  const header = ['queue', 'sent', 'received', 'deleted', 'in flight', 'visible', 'DLQ depth'];
  const rows = Object.entries(metrics)
    .filter(([name]) => !name.endsWith('-dlq'))
    .map(([name, m]) => {
      const dlq = dlqOf[name];
      const depth = dlq ? (metrics[dlq]?.ApproximateNumberOfMessagesVisible ?? 0) : 0;
      return [
        name,
        m.NumberOfMessagesSent,
        m.NumberOfMessagesReceived,
        m.NumberOfMessagesDeleted,
        m.ApproximateNumberOfMessagesNotVisible,
        m.ApproximateNumberOfMessagesVisible,
        depth,
      ].map(String);
    });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
