import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfirmDeadlines } from '../src/confirm-deadlines.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('ConfirmDeadlines', () => {
  it('fails exactly the publishes whose confirm did not come before their deadline, with one timer', () => {
    vi.useFakeTimers({ now: 0 });
    const deadlines = new ConfirmDeadlines(1_000, (ms) => new Error(`no confirm within ${ms} ms`));
    const failed: string[] = [];
    const fail = (name: string) => (error: Error) => failed.push(`${name}: ${error.message}`);
    const a = deadlines.add(fail('a'), 0);
    const b = deadlines.add(fail('b'), 0);
    vi.advanceTimersByTime(500);
    const c = deadlines.add(fail('c'), 500);
    expect(vi.getTimerCount()).toBe(1);
    expect(b.settle()).toBe(true);
    vi.advanceTimersByTime(700);
    expect(failed).toEqual(['a: no confirm within 1000 ms']);
    expect(a.settle()).toBe(false);
    expect(deadlines.held).toBe(1);
    expect(c.settle()).toBe(true);
    vi.advanceTimersByTime(1_000);
    expect(failed).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('drops settled publishes from its head as new ones come, so a steady stream holds only the unconfirmed', () => {
    vi.useFakeTimers({ now: 0 });
    const deadlines = new ConfirmDeadlines(30_000, () => new Error('late'));
    for (let i = 0; i < 10_000; i++) deadlines.add(() => {}).settle();
    deadlines.add(() => {});
    expect(deadlines.held).toBe(1);
    deadlines.clear();
    expect(vi.getTimerCount()).toBe(0);
  });
});
