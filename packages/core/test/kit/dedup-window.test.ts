import { describe, expect, it } from 'vitest';
import { DedupWindow, dedupKey, LIMITS } from '../../src/driver/index.js';

const WINDOW = LIMITS.deduplicationWindowSeconds * 1000;

describe('DedupWindow', () => {
  it('remembers the first value for 5 minutes from its first use, then forgets it', () => {
    const window = new DedupWindow<string>();
    window.set('d1', 'm1', 1_000);
    expect(window.get('d1', 1_000)).toBe('m1');
    expect(window.get('d1', 1_000 + WINDOW - 1)).toBe('m1');
    expect(window.get('d1', 1_000 + WINDOW)).toBeUndefined();
    expect(window.get('other', 1_000)).toBeUndefined();
  });

  it('drops expired entries as new ones arrive, so it holds only about one window of ids', () => {
    const window = new DedupWindow<number>(10);
    for (let t = 0; t < 1_000; t++) window.set(`k${t}`, t, t);
    expect(window.size).toBeLessThanOrEqual(11);
    expect(window.get('k999', 999)).toBe(999);
    expect(window.get('k900', 999)).toBeUndefined();
  });

  it('a key set again after expiry opens a new window', () => {
    const window = new DedupWindow<string>(10);
    window.set('a', 'first', 0);
    window.set('b', 'b', 5);
    window.set('a', 'second', 12);
    expect(window.get('a', 20)).toBe('second');
    window.set('c', 'c', 21);
    expect(window.get('a', 21)).toBe('second');
    expect(window.get('b', 21)).toBeUndefined();
  });

  it('times that go backwards never lose a live entry', () => {
    const window = new DedupWindow<string>(10);
    window.set('late', 'x', 100);
    window.set('early', 'y', 95);
    expect(window.get('late', 104)).toBe('x');
    expect(window.get('early', 104)).toBe('y');
    expect(window.get('early', 105)).toBeUndefined();
  });

  it("a key set again while remembered keeps its new window when the old one's time comes", () => {
    const window = new DedupWindow<string>(10);
    window.set('a', 'first', 0);
    window.set('a', 'second', 5);
    window.set('x', 'x', 10);
    expect(window.get('a', 12)).toBe('second');
    expect(window.size).toBe(2);
    window.set('y', 'y', 15);
    expect(window.get('a', 15)).toBeUndefined();
  });

  it('stays exact over many windows, however its storage is compacted', () => {
    const window = new DedupWindow<number>(100);
    for (let t = 0; t < 20_000; t++) {
      window.set(`k${t}`, t, t);
      if (t >= 100 && t % 997 === 0) {
        expect(window.get(`k${t - 99}`, t)).toBe(t - 99);
        expect(window.get(`k${t - 100}`, t)).toBeUndefined();
        expect(window.size).toBeLessThanOrEqual(101);
      }
    }
    window.clear();
    expect(window.size).toBe(0);
    expect(window.get('k19999', 19_999)).toBeUndefined();
    window.set('k1', 1, 20_000);
    expect(window.get('k1', 20_050)).toBe(1);
  });

  it('keys are per queue or per message group', () => {
    expect(dedupKey('queue', 'g1', 'd')).toBe(dedupKey('queue', 'g2', 'd'));
    expect(dedupKey('messageGroup', 'g1', 'd')).not.toBe(dedupKey('messageGroup', 'g2', 'd'));
    expect(dedupKey('messageGroup', 'g', 'd')).not.toBe(dedupKey('queue', 'g', 'd'));
  });
});
