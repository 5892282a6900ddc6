import { describe, expect, it } from 'vitest';
import { ReceiveSignals } from '../src/receive-signals.js';

describe('ReceiveSignals: one signal per receive, aborted by its caller or the transport closing', () => {
  it('aborts with the caller’s signal, and only that receive', () => {
    const closing = new AbortController();
    const signals = new ReceiveSignals(closing.signal);
    const [a, b] = [new AbortController(), new AbortController()];
    const first = signals.open(a.signal);
    const second = signals.open(b.signal);
    a.abort('stop');
    expect([first.signal.aborted, first.signal.reason, second.signal.aborted]).toEqual([true, 'stop', false]);
  });

  it('closing aborts every open receive, with one listener on the closing signal however many are open', () => {
    const closing = new AbortController();
    let added = 0;
    const original = closing.signal.addEventListener.bind(closing.signal);
    closing.signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      added++;
      original(...args);
    }) as AbortSignal['addEventListener'];
    const signals = new ReceiveSignals(closing.signal);
    const open = Array.from({ length: 50 }, () => signals.open(new AbortController().signal));
    closing.abort('closed');
    expect(open.every((receive) => receive.signal.aborted && receive.signal.reason === 'closed')).toBe(true);
    expect(added).toBe(1);
  });

  it('a released receive is no longer aborted by closing; without a caller signal the closing signal serves', () => {
    const closing = new AbortController();
    const signals = new ReceiveSignals(closing.signal);
    const caller = new AbortController();
    const done = signals.open(caller.signal);
    done.release();
    expect(signals.open(undefined).signal).toBe(closing.signal);
    closing.abort();
    caller.abort();
    expect(done.signal.aborted).toBe(false);
  });
});
