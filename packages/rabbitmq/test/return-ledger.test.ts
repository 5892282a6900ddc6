import type { Message } from 'amqplib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REQUEUE_GRACE_MS, RETURN_WAIT_MS, ReturnLedger } from '../src/return-ledger.js';

const message = (messageId?: string) => ({ properties: { messageId } }) as unknown as Message;

describe('ReturnLedger: when a poll may cancel after the queue returned messages', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('nothing returned: cancel at once', () => {
    expect(new ReturnLedger().waitBeforeCancel()).toBe(0);
  });

  it('waits while a returned message is on its way back, until it is delivered again on any channel', () => {
    vi.useFakeTimers({ now: 0 });
    const ledger = new ReturnLedger();
    ledger.returned(message('a'));
    ledger.returned(message('b'));
    expect(ledger.waitBeforeCancel()).toBeGreaterThan(0);
    ledger.delivered(message('a'));
    expect(ledger.waitBeforeCancel()).toBeGreaterThan(0);
    ledger.delivered(message('b'));
    expect(ledger.waitBeforeCancel()).toBe(0);
  });

  it('gives a returned message up after RETURN_WAIT_MS (another client may have taken it)', () => {
    vi.useFakeTimers({ now: 0 });
    const ledger = new ReturnLedger();
    ledger.returned(message('a'));
    vi.setSystemTime(RETURN_WAIT_MS - 1);
    expect(ledger.waitBeforeCancel()).toBeGreaterThan(0);
    vi.setSystemTime(RETURN_WAIT_MS);
    expect(ledger.waitBeforeCancel()).toBe(0);
  });

  it('returning a message again restarts its wait', () => {
    vi.useFakeTimers({ now: 0 });
    const ledger = new ReturnLedger();
    ledger.returned(message('a'));
    vi.setSystemTime(RETURN_WAIT_MS - 10);
    ledger.returned(message('a'));
    vi.setSystemTime(RETURN_WAIT_MS + 10);
    expect(ledger.waitBeforeCancel()).toBeGreaterThan(0);
  });

  it('a message without an id holds cancels back for REQUEUE_GRACE_MS', () => {
    vi.useFakeTimers({ now: 0 });
    const ledger = new ReturnLedger();
    ledger.returned(message());
    expect(ledger.waitBeforeCancel()).toBe(REQUEUE_GRACE_MS);
    vi.setSystemTime(REQUEUE_GRACE_MS / 2);
    expect(ledger.waitBeforeCancel()).toBe(REQUEUE_GRACE_MS / 2);
    vi.setSystemTime(REQUEUE_GRACE_MS);
    expect(ledger.waitBeforeCancel()).toBe(0);
  });
});
