import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { SharedFlush } from '../src/shared-flush.js';

interface Trip {
  readonly startedAt: number;
  doneAt?: number;
  ok?: boolean;
  settle(ok: boolean): void;
}

interface Call {
  readonly at: number;
  endedAt?: number;
  ok?: boolean;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('SharedFlush', () => {
  it('resolves each flush only after a round trip sent after it, with one round trip on the wire (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('call', 'complete', 'fail'), { maxLength: 60 }), async (actions) => {
        let clock = 0;
        let inFlight = 0;
        let maxInFlight = 0;
        const trips: Trip[] = [];
        const shared = new SharedFlush(
          () =>
            new Promise<void>((resolve, reject) => {
              inFlight++;
              maxInFlight = Math.max(maxInFlight, inFlight);
              const trip: Trip = {
                startedAt: ++clock,
                settle(ok) {
                  trip.doneAt = ++clock;
                  trip.ok = ok;
                  inFlight--;
                  if (ok) resolve();
                  else reject(new Error('channel closed'));
                },
              };
              trips.push(trip);
            }),
        );
        const calls: Call[] = [];
        const open = () => trips.find((trip) => trip.doneAt === undefined);
        const act = async (action: string) => {
          if (action === 'call') {
            const call: Call = { at: ++clock };
            calls.push(call);
            shared.flush().then(
              () => Object.assign(call, { endedAt: ++clock, ok: true }),
              () => Object.assign(call, { endedAt: ++clock, ok: false }),
            );
          } else {
            open()?.settle(action === 'complete');
          }
          await turn();
        };
        for (const action of actions) await act(action);
        for (let trip = open(); trip; trip = open()) await act('complete');
        expect(maxInFlight).toBeLessThanOrEqual(1);
        expect(trips.length).toBeLessThanOrEqual(calls.length);
        for (const call of calls) {
          expect(call.endedAt).toBeDefined();
          const covering = trips.find(
            (trip) =>
              trip.startedAt > call.at && (trip.doneAt ?? Infinity) < (call.endedAt ?? 0) && trip.ok === call.ok,
          );
          expect(covering).toBeDefined();
        }
      }),
    );
  });

  it('with a gathering window, callers until the send share one round trip; later ones get the next', async () => {
    vi.useFakeTimers();
    try {
      const sent: (() => void)[] = [];
      const shared = new SharedFlush(() => new Promise<void>((resolve) => sent.push(resolve)), 5);
      let done = 0;
      const first = [shared.flush(), shared.flush()].map((call) => call.then(() => done++));
      expect(sent).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(5);
      expect(sent).toHaveLength(1);
      // Its acks may have gone out after the round trip on the wire: it needs the next one.
      const later = shared.flush().then(() => done++);
      sent[0]?.();
      await Promise.all(first);
      expect(done).toBe(2);
      await vi.advanceTimersByTimeAsync(5);
      expect(sent).toHaveLength(2);
      sent[1]?.();
      await later;
      expect(done).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
