import { describe, expect, it } from 'vitest';
import type { LogEvent } from './event-log.js';
import { parseLogLine } from './event-log.js';
import { Ledger } from './ledger.js';

const sent = (at: number, seq: number, messageId = `m${seq}`): LogEvent => ({ kind: 'sent', at, seq, messageId });
const processed = (at: number, seq: number, receiveCount = 1, messageId = `m${seq}`): LogEvent => ({
  kind: 'processed',
  at,
  seq,
  messageId,
  receiveCount,
  pid: 1,
});

describe('Ledger', () => {
  it('counts sent, processed and lost seqs', () => {
    const ledger = Ledger.of([sent(1, 1), sent(2, 2), sent(3, 3), processed(4, 1), processed(5, 3)]);
    expect([ledger.sentAt.size, ledger.processedAt.size, ledger.lost()]).toEqual([3, 2, [2]]);
  });

  it('tells a redelivery from a repeat without a new receive count and from a second copy', () => {
    const ledger = Ledger.of([
      sent(1, 1),
      sent(1, 2),
      sent(1, 3, 'first'),
      processed(2, 1, 1),
      processed(3, 1, 2), // killed before delete: back with receiveCount 2
      processed(2, 2, 1),
      processed(3, 2, 1), // same message again, receive count not raised
      processed(2, 3, 1, 'first'),
      processed(3, 3, 1, 'second'), // the seq enqueued twice
    ]);
    expect(ledger.duplicates).toEqual({ redelivery: 1, sameReceiveCount: 1, secondCopy: 1 });
    expect(ledger.duplicateCount).toBe(3);
  });

  it('sorts events by time before folding, whatever order the files were read in', () => {
    const ledger = Ledger.of([processed(5, 1, 2), processed(2, 1, 1), sent(1, 1)]);
    expect(ledger.duplicates.redelivery).toBe(1);
    expect(ledger.processedAt.get(1)).toBe(2);
  });

  it('tallies errors by role, code and retryability', () => {
    const error = (code: string, retryable: boolean): LogEvent => ({
      kind: 'error',
      at: 1,
      role: 'producer',
      code,
      retryable,
      message: 'x',
    });
    const ledger = Ledger.of([
      error('Unavailable', true),
      error('Unavailable', true),
      error('untyped:TypeError', false),
    ]);
    expect(ledger.errorCount()).toBe(3);
    expect(ledger.nonRetryableErrors().map((tally) => tally.code)).toEqual(['untyped:TypeError']);
  });
});

describe('event log lines', () => {
  it('parse back into events', () => {
    expect(parseLogLine('R 10 7 abc 2 99')).toEqual(
      processed(10, 7, 2, 'abc') && { ...processed(10, 7, 2, 'abc'), pid: 99 },
    );
    expect(parseLogLine('E 5 consumer Unavailable true the connection is down')).toEqual({
      kind: 'error',
      at: 5,
      role: 'consumer',
      code: 'Unavailable',
      retryable: true,
      message: 'the connection is down',
    });
    expect(parseLogLine('G 3 42')).toEqual({ kind: 'gaveUp', at: 3, seq: 42 });
    expect(parseLogLine('')).toBeUndefined();
  });
});
