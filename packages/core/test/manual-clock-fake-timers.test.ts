import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../src/clock.js';

/** A test may fake the global timers and drive msgport with a ManualClock at the same time. */
describe('ManualClock under fake timers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('advance() settles on the real event loop, so it resolves while setImmediate is faked', async () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    clock.setTimer(1_000, () => fired.push(clock.now()));
    vi.useFakeTimers();
    await clock.advance(2);
    expect(fired).toEqual([Date.UTC(2026, 0, 1) + 1_000]);
  });
});
