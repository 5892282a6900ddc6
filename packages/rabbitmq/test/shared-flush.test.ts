import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
});
