import { oneRound, type Pipeline } from '../end-to-end.js';
import { median } from '../measure.js';

/** Bytes a round may put through a broker at most (a backlog of 256 KiB bodies stays small on shared servers). */
const MAX_ROUND_BYTES = 64 * 1024 * 1024;
const MAX_ROUND_MESSAGES = 200_000;
const PRODUCERS = 2;

export interface TimedPoint {
  readonly payloadBytes: number;
  /** Bodies per send (10, or fewer for large bodies). */
  readonly batchSize: number;
  /** Seconds each measured round should take. */
  readonly seconds: number;
  readonly rounds: number;
}

/**
 * Produce-and-process rounds of about `seconds` each, whatever a contender's speed: a probe round
 * (also the warm-up) that doubles its message count until it lasts a tenth of the target sets each
 * contender's count; then `rounds` rounds taken in turn (A, B, A, B, …). Medians, messages per second.
 */
export async function timedCompare(
  point: TimedPoint,
  makers: readonly ((round: number) => Promise<Pipeline>)[],
): Promise<number[]> {
  const cap = Math.max(point.batchSize, Math.min(MAX_ROUND_MESSAGES, Math.floor(MAX_ROUND_BYTES / point.payloadBytes)));
  const run = async (make: (round: number) => Promise<Pipeline>, round: number, count: number) =>
    oneRound(count, point.payloadBytes, PRODUCERS, await make(round), point.batchSize);
  const counts: number[] = [];
  for (const make of makers) {
    let count = point.batchSize * PRODUCERS * 4;
    let rate = 0;
    for (let probe = 0; ; probe++) {
      const started = process.hrtime.bigint();
      rate = await run(make, -1 - probe, count);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (seconds >= point.seconds / 10 || count >= cap || probe >= 6) break;
      count = Math.min(cap, count * 2);
    }
    const sized = Math.round((rate * point.seconds) / point.batchSize) * point.batchSize;
    counts.push(Math.max(point.batchSize * PRODUCERS, Math.min(cap, sized)));
  }
  const rates: number[][] = makers.map(() => []);
  for (let round = 0; round < point.rounds; round++) {
    for (const [index, make] of makers.entries()) rates[index]?.push(await run(make, round, counts[index] ?? cap));
  }
  return rates.map(median);
}
