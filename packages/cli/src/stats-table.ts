import Table from 'cli-table3';
import type { QueueRow } from './queue-overview.js';

/** 75 → "1m 15s"; 0 → "-". */
export function formatAge(seconds: number): string {
  if (seconds <= 0) return '-';
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = Math.floor(seconds);
  for (const [unit, size] of units) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join(' ');
}

/** The `msgport stats` table. */
export function statsTable(rows: readonly QueueRow[], color: boolean): string {
  const table = new Table({
    head: ['queue', 'visible', 'in flight', 'delayed', 'oldest', 'DLQ', 'DLQ depth'],
    colAligns: ['left', 'right', 'right', 'right', 'right', 'left', 'right'],
    style: color ? {} : { head: [], border: [] },
  });
  for (const row of rows) {
    table.push([
      row.name,
      row.visible,
      row.inFlight,
      row.delayed,
      formatAge(row.oldestAgeSeconds),
      row.dlq ?? '-',
      row.dlqDepth ?? '-',
    ]);
  }
  return table.toString();
}
