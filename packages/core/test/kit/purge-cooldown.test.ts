import { describe, expect, it } from 'vitest';
import { PurgeCooldowns, PurgeInProgressError, purgeCooldownError } from '../../src/driver/index.js';

describe('the 60-second purge cooldown', () => {
  it('refuses a purge less than 60 s after the last one', () => {
    expect(purgeCooldownError('q', undefined, 0)).toBeUndefined();
    expect(purgeCooldownError('q', 0, 59_999)).toBeInstanceOf(PurgeInProgressError);
    expect(purgeCooldownError('q', 0, 60_000)).toBeUndefined();
    const error = purgeCooldownError('jobs', 0, 1, { transport: 'redis' });
    expect(error?.code).toBe('PurgeInProgress');
    expect(error?.message).toContain('"jobs"');
    expect(error?.transport).toBe('redis');
  });

  it('PurgeCooldowns keeps one cooldown per queue, forgotten with the queue', () => {
    const cooldowns = new PurgeCooldowns('sqs');
    cooldowns.check('a', 0);
    cooldowns.purged('a', 0);
    expect(() => cooldowns.check('a', 30_000)).toThrow(
      expect.objectContaining({ code: 'PurgeInProgress', transport: 'sqs' }),
    );
    cooldowns.check('b', 30_000);
    cooldowns.forget('a');
    cooldowns.check('a', 30_000);
  });
});
