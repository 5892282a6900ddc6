import { describe, expect, it } from 'vitest';
import { resolveLogger } from '../../src/logging/resolve-logger.js';
import { createStderrLogger } from '../../src/logging/stderr-logger.js';

describe('the default stderr logger', () => {
  it('writes warnings and errors as one line each, with fields', () => {
    const lines: string[] = [];
    const logger = createStderrLogger({ write: (line) => lines.push(line) });
    logger.debug('not shown');
    logger.info('not shown');
    logger.warn('queue "q" is slow', { queue: 'q' });
    logger.error('handler failed\nsecond line', { messageIds: ['a', 'b'] });
    expect(lines).toEqual([
      'msgport warn: queue "q" is slow { queue: \'q\' }\n',
      "msgport error: handler failed second line { messageIds: [ 'a', 'b', [length]: 2 ] }\n",
    ]);
  });

  it('prints at most `burst` lines of a kind per window, then says how many it left out', () => {
    const lines: string[] = [];
    let now = 0;
    const logger = createStderrLogger({ write: (line) => lines.push(line), now: () => now, burst: 2, windowMs: 1_000 });
    for (let i = 0; i < 50; i++) logger.error('boom');
    logger.error('other');
    expect(lines).toHaveLength(3);
    now = 1_000;
    logger.error('boom');
    expect(lines.slice(3)).toEqual(['msgport error: boom (48 more like this not shown)\n', 'msgport error: boom\n']);
  });
});

describe('resolveLogger', () => {
  it('silences with false and rejects what is not a logger', () => {
    const silent = resolveLogger(false);
    expect(() => silent.error('x')).not.toThrow();
    expect(() => resolveLogger({ warn() {} } as never)).toThrow(expect.objectContaining({ code: 'InvalidParameter' }));
  });

  it('never lets a throwing logger reach the caller', () => {
    const calls: unknown[][] = [];
    const logger = resolveLogger({
      debug: () => {},
      info: () => {},
      warn: (...args: unknown[]) => calls.push(args),
      error: () => {
        throw new Error('broken logger');
      },
    });
    logger.warn('w', { a: 1 });
    expect(() => logger.error('e')).not.toThrow();
    expect(calls).toEqual([['w', { a: 1 }]]);
  });
});
