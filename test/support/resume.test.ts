import { describe, expect, it } from 'vitest';
import type { LogEvent } from './event-log.js';
import { Ledger } from './ledger.js';
import { maxResume, resumeTimes } from './resume.js';

const sent = (at: number, seq: number): LogEvent => ({ kind: 'sent', at, seq, messageId: `m${seq}` });
const processed = (at: number, seq: number): LogEvent => ({
  kind: 'processed',
  at,
  seq,
  messageId: `m${seq}`,
  receiveCount: 1,
  pid: 1,
});
const done = (at: number): LogEvent => ({ kind: 'done', at });

describe('resume times', () => {
  it('run from the fault to the first processing after it while work waits', () => {
    const ledger = Ledger.of([
      sent(0, 1),
      sent(900, 2),
      sent(1_100, 3),
      processed(4_000, 2),
      processed(4_001, 3),
      done(1_100),
    ]);
    const [resume] = resumeTimes(ledger, [{ kind: 'cut', at: 1_000, from: 1_000 }], 10_000);
    expect(resume?.seconds).toBe(3);
    expect(resume?.resumed).toBe(true);
  });

  it('include the producer while it still had messages to send', () => {
    const ledger = Ledger.of([sent(0, 1), processed(10, 1), sent(7_000, 2), processed(7_010, 2), done(7_000)]);
    expect(maxResume(resumeTimes(ledger, [{ kind: 'cut', at: 1_000, from: 1_000 }], 10_000))).toBe(6.01);
  });

  it('ignore a fault when nothing waited and the producer was done', () => {
    const ledger = Ledger.of([sent(0, 1), processed(10, 1), done(0)]);
    expect(maxResume(resumeTimes(ledger, [{ kind: 'cut', at: 1_000, from: 1_000 }], 10_000))).toBe(0);
  });

  it('count from the restarted broker listening again, and to the end of the run when nothing moved', () => {
    const ledger = Ledger.of([sent(0, 1), sent(10, 2), processed(20, 1)]);
    const [resume] = resumeTimes(ledger, [{ kind: 'restart', at: 1_000, from: 3_000 }], 13_000);
    expect(resume).toMatchObject({ seconds: 10, resumed: false });
  });
});
