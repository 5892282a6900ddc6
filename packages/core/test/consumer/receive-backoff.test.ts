import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import {
  PERSISTENT_ERROR_BACKOFF_MAX_MS,
  receiveBackoffMs,
  Sleeper,
  TRANSIENT_ERROR_BACKOFF_MAX_MS,
} from '../../src/consumer/receive-backoff.js';
import { PermissionDeniedError, QueueDoesNotExistError, UnavailableError } from '../../src/errors.js';

describe('receive backoff', () => {
  it('persistent errors (missing queue, denied) double from 1 s up to 60 s', () => {
    const top = () => 1;
    const delays = Array.from({ length: 10 }, (_, i) =>
      receiveBackoffMs(new QueueDoesNotExistError('gone'), i + 1, top),
    );
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000]);
    expect(receiveBackoffMs(new PermissionDeniedError('no'), 50, top)).toBe(PERSISTENT_ERROR_BACKOFF_MAX_MS);
    // Jitter only ever shortens by up to a tenth.
    expect(receiveBackoffMs(new PermissionDeniedError('no'), 50, () => 0)).toBe(PERSISTENT_ERROR_BACKOFF_MAX_MS * 0.9);
  });

  it('transient errors back off with jitter: between half and all of a doubling capped at 20 s', () => {
    const error = new UnavailableError('down');
    expect(receiveBackoffMs(error, 1, () => 0)).toBe(500);
    expect(receiveBackoffMs(error, 1, () => 1)).toBe(1_000);
    expect(receiveBackoffMs(error, 3, () => 0.5)).toBe(3_000);
    expect(receiveBackoffMs(error, 30, () => 1)).toBe(TRANSIENT_ERROR_BACKOFF_MAX_MS);
    const spread = new Set(Array.from({ length: 50 }, () => receiveBackoffMs(error, 4)));
    expect(spread.size).toBeGreaterThan(1);
  });

  it('sleeps end early on wakeAll and leave nothing behind', async () => {
    const clock = new ManualClock();
    const sleeper = new Sleeper(clock);
    let woke = 0;
    for (let i = 0; i < 100; i++) void sleeper.sleep(60_000).then(() => woke++);
    expect(sleeper.pending).toBe(100);
    sleeper.wakeAll();
    await clock.advance(0);
    expect(woke).toBe(100);
    expect(sleeper.pending).toBe(0);
    // Timers were cancelled: advancing past them wakes nothing twice.
    await clock.advance(120);
    expect(woke).toBe(100);
  });
});
