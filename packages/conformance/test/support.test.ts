import { describe, expect, it } from 'vitest';
import { uniqueBody, uniqueName } from '../src/support/names.js';
import { sendOptions } from '../src/support/resources.js';

describe('conformance support', () => {
  it('makes unique, valid queue names within 80 characters, FIFO ones ending in .fifo', () => {
    const long = 'x'.repeat(200);
    for (const kind of ['standard', 'fifo'] as const) {
      const name = uniqueName(long, kind);
      expect(name.length).toBeLessThanOrEqual(80);
      expect(name).toMatch(kind === 'fifo' ? /^[A-Za-z0-9_-]+\.fifo$/ : /^[A-Za-z0-9_-]+$/);
    }
    expect(uniqueName('a.b c')).toMatch(/^mpc-a-b-c-[0-9a-f]{10}$/);
    expect(uniqueName('t')).not.toBe(uniqueName('t'));
    expect(uniqueBody('b')).not.toBe(uniqueBody('b'));
  });

  it('adds a group id on FIFO queues only, keeping an explicit one', () => {
    expect(sendOptions({ fifo: false }, { delaySeconds: 1 })).toEqual({ delaySeconds: 1 });
    expect(sendOptions({ fifo: true }, {}, 'G')).toEqual({ groupId: 'G' });
    expect(sendOptions({ fifo: true }, { groupId: 'mine' }, 'G')).toEqual({ groupId: 'mine' });
    expect(sendOptions({ fifo: true }).groupId).toMatch(/^g-[0-9a-f]{10}$/);
  });
});
