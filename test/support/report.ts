import type { Ledger } from './ledger.js';
import type { FaultResume } from './resume.js';

export const seconds = (value: number) => value.toFixed(1);

/** Ranges of consecutive numbers, e.g. `1-4, 9`, at most `limit` of them. */
function ranges(values: readonly number[], limit = 12): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length && parts.length < limit; ) {
    let j = i;
    while (j + 1 < values.length && (values[j + 1] as number) === (values[j] as number) + 1) j++;
    parts.push(i === j ? String(values[i]) : `${values[i]}-${values[j]}`);
    i = j + 1;
  }
  return parts.join(', ') + (parts.length === limit ? ', …' : '');
}

/** The detail lines both tools print above their summary line. */
export function detailLines(ledger: Ledger, resumes: readonly FaultResume[], messages: number): string[] {
  const lines: string[] = [];
  const lost = ledger.lost();
  if (ledger.sentAt.size < messages) {
    const gaveUp = [...ledger.gaveUp].sort((a, b) => a - b);
    lines.push(
      `  not sent: ${messages - ledger.sentAt.size} of ${messages}` +
        (gaveUp.length > 0 ? ` (the producer gave up on seq ${ranges(gaveUp)})` : ' (the producer never finished)'),
    );
  }
  if (lost.length > 0) lines.push(`  lost seqs (sent, not processed by the end of the run): ${ranges(lost)}`);
  const { redelivery, sameReceiveCount, secondCopy } = ledger.duplicates;
  if (sameReceiveCount + secondCopy > 0) {
    lines.push(
      `  duplicates that are not redeliveries: ${sameReceiveCount} same message without a higher receiveCount, ` +
        `${secondCopy} second copies of a seq under another messageId (redeliveries: ${redelivery})`,
    );
  }
  const worst = [...resumes].sort((a, b) => b.seconds - a.seconds).slice(0, 3);
  for (const { fault, seconds: s, resumed } of worst) {
    const down =
      fault.from > fault.at
        ? ` (counted from its return, ${seconds((fault.from - fault.at) / 1000)} s after the crash)`
        : '';
    const what = `${fault.kind}${fault.detail ? ` ${fault.detail}` : ''}${down}`;
    lines.push(resumed ? `  resume ${seconds(s)} s after ${what}` : `  NEVER resumed after ${what}: ≥ ${seconds(s)} s`);
  }
  const errors = [...ledger.errors.entries()].sort((a, b) => b[1].count - a[1].count);
  for (const [key, tally] of errors.slice(0, 12)) {
    lines.push(
      `  error ${key.split(' ')[0]} ${tally.code}${tally.retryable ? ' (retryable)' : ' (NOT retryable)'} ×${tally.count}: ${tally.example.slice(0, 160)}`,
    );
  }
  return lines;
}

/** `E (Unavailable×3, Timeout×1)`: the error count with its codes. */
export function errorSummary(ledger: Ledger): string {
  const byCode = new Map<string, number>();
  for (const tally of ledger.errors.values()) byCode.set(tally.code, (byCode.get(tally.code) ?? 0) + tally.count);
  const total = ledger.errorCount();
  if (total === 0) return '0';
  return `${total} (${[...byCode].map(([code, count]) => `${code}×${count}`).join(', ')})`;
}
