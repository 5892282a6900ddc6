import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { type Clock, LongPolls, ManualClock } from '../../src/driver/index.js';

/** A ManualClock that counts the timers still pending. */
class CountingClock implements Clock {
  readonly inner = new ManualClock();
  live = 0;
  now = () => this.inner.now();
  setTimer(delayMs: number, callback: () => void): () => void {
    this.live++;
    let pending = true;
    const cancel = this.inner.setTimer(delayMs, () => {
      pending = false;
      this.live--;
      callback();
    });
    return () => {
      if (pending) this.live--;
      pending = false;
      cancel();
    };
  }
}

/** mulberry32: a small seeded generator, so a failing interleaving can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('LongPolls', () => {
  it('resolves [] at the deadline and leaves nothing behind', async () => {
    const clock = new CountingClock();
    const polls = new LongPolls<number, string>({ clock });
    const signal = new AbortController().signal;
    const waiting = polls.wait(1, { waitMs: 2_000, signal });
    expect(polls.size).toBe(1);
    await clock.inner.advance(1.999);
    expect(polls.size).toBe(1);
    await clock.inner.advance(0.001);
    await expect(waiting).resolves.toEqual([]);
    expect(polls.size).toBe(0);
    expect(clock.live).toBe(0);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('serve hands messages to the longest-waiting polls first, until take finds nothing', async () => {
    const polls = new LongPolls<string, string>({ clock: new ManualClock() });
    const a = polls.wait('a', { waitMs: 20_000 });
    const b = polls.wait('b', { waitMs: 20_000 });
    const c = polls.wait('c', { waitMs: 20_000 });
    const stock = ['m1', 'm2'];
    polls.serve(() => stock.splice(0, 1));
    await expect(a).resolves.toEqual(['m1']);
    await expect(b).resolves.toEqual(['m2']);
    expect(polls.size).toBe(1);
    expect(polls.first()?.request).toBe('c');
    polls.rejectAll(new Error('queue deleted'));
    await expect(c).rejects.toThrow('queue deleted');
  });

  it('abort and close reject with Aborted and Closed, already-aborted signals at once', async () => {
    const polls = new LongPolls<number, string>({ clock: new ManualClock(), transport: 'memory' });
    const caller = new AbortController();
    const closing = new AbortController();
    const aborted = polls.wait(1, { waitMs: 20_000, signal: caller.signal, closeSignal: closing.signal });
    const closed = polls.wait(2, { waitMs: 20_000, closeSignal: closing.signal });
    caller.abort(new Error('stop'));
    closing.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'Aborted', transport: 'memory' });
    await expect(closed).rejects.toMatchObject({ code: 'Closed', transport: 'memory' });
    await expect(polls.wait(3, { waitMs: 1, signal: caller.signal })).rejects.toMatchObject({ code: 'Aborted' });
    await expect(polls.wait(4, { waitMs: 1, closeSignal: closing.signal })).rejects.toMatchObject({ code: 'Closed' });
    expect(polls.size).toBe(0);
  });

  it('a shifted poll can still end by its deadline; a late resolve then reports false', async () => {
    const clock = new ManualClock();
    const polls = new LongPolls<number, string>({ clock });
    const waiting = polls.wait(1, { waitMs: 1_000 });
    const poll = polls.shift();
    expect(polls.size).toBe(0);
    await clock.advance(1);
    await expect(waiting).resolves.toEqual([]);
    expect(poll?.resolve(['late'])).toBe(false);
  });

  it('onChange hears every poll that starts and ends', async () => {
    let changes = 0;
    const polls = new LongPolls<number, string>({ clock: new ManualClock(), onChange: () => changes++ });
    const waiting = polls.wait(1, { waitMs: 1_000 });
    polls.serve(() => ['m']);
    await waiting;
    expect(changes).toBe(2);
  });

  it('thousands of polls ending out of order: size stays exact and the line serves in order', async () => {
    const polls = new LongPolls<number, number>({ clock: new ManualClock() });
    const controllers = Array.from({ length: 3_000 }, () => new AbortController());
    const results = controllers.map((controller, i) =>
      polls.wait(i, { waitMs: 20_000, signal: controller.signal }).catch(() => 'aborted'),
    );
    controllers.forEach((controller, i) => {
      if (i % 3 !== 2) controller.abort();
    });
    expect(polls.size).toBe(1_000);
    const served: number[] = [];
    polls.serve((i) => {
      served.push(i);
      return [i];
    });
    expect(served).toEqual(Array.from({ length: 1_000 }, (_, k) => 3 * k + 2));
    expect(polls.size).toBe(0);
    expect(polls.first()).toBeUndefined();
    await Promise.all(results);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'random interleavings (seed %i): every poll ends exactly once, served in arrival order',
    async (seed) => {
      const next = random(seed);
      const clock = new CountingClock();
      const closing = new AbortController();
      const polls = new LongPolls<number, number>({ clock });
      const outcomes = new Map<number, string>();
      const controllers: AbortController[] = [];
      const served: number[] = [];
      const pending: Promise<void>[] = [];
      let message = 0;
      for (let step = 0; step < 200; step++) {
        const action = next();
        if (action < 0.4) {
          const id = step;
          const controller = new AbortController();
          controllers.push(controller);
          const waitMs = Math.floor(next() * 5) * 1_000;
          const settle = (outcome: string) => {
            expect(outcomes.has(id)).toBe(false);
            outcomes.set(id, outcome);
          };
          pending.push(
            polls
              .wait(id, { waitMs, signal: controller.signal, closeSignal: closing.signal })
              .then((messages) => settle(messages.length === 0 ? 'empty' : 'served'))
              .catch((error: { code: string }) => settle(error.code)),
          );
        } else if (action < 0.6) {
          let available = Math.floor(next() * 3);
          polls.serve((id) => {
            if (available-- <= 0) return [];
            served.push(id);
            return [message++];
          });
        } else if (action < 0.75) {
          controllers[Math.floor(next() * controllers.length)]?.abort();
        } else {
          await clock.inner.advance(next() * 2);
        }
      }
      closing.abort();
      await Promise.all(pending);
      expect(outcomes.size).toBe(pending.length);
      expect([...outcomes.values()].filter((outcome) => outcome === 'served')).toHaveLength(served.length);
      expect(new Set(outcomes.values()).size).toBeGreaterThan(2);
      expect(served).toEqual([...served].sort((x, y) => x - y));
      expect(polls.size).toBe(0);
      expect(clock.live).toBe(0);
      for (const controller of controllers) expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      expect(getEventListeners(closing.signal, 'abort')).toHaveLength(0);
    },
  );
});
