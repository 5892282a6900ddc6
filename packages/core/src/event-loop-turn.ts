/**
 * How long promise callbacks may hold the event loop before msgport's loops (consumer pollers,
 * moving messages) step aside. A local transport (memory) answers without I/O, so a consumer with
 * a backlog could otherwise run on promise callbacks for as long as the backlog lasts: no timer,
 * socket or `stop()` would get a turn.
 */
export const HOLD_BUDGET_MS = 4;

// Taken when msgport loads, so a test that fakes timers afterwards (vi.useFakeTimers, sinon) does
// not stall the runtime: these measure and wait for the real event loop, whatever the test fakes.
const realSetImmediate = globalThis.setImmediate;
const realNow = performance.now.bind(performance);

let nextTurn: Promise<void> | undefined;
let holdingSince = 0;

/**
 * Undefined while the event loop has turned within the budget; otherwise a promise that resolves
 * on its next turn, which every poller awaits so the microtask queue drains. One `setImmediate` a
 * turn marks the turns, and only while some consumer asks.
 */
export function pendingEventLoopTurn(): Promise<void> | undefined {
  if (nextTurn === undefined) {
    holdingSince = realNow();
    nextTurn = new Promise((resolve) =>
      realSetImmediate(() => {
        nextTurn = undefined;
        resolve();
      }),
    );
    return undefined;
  }
  return realNow() - holdingSince >= HOLD_BUDGET_MS ? nextTurn : undefined;
}

/** Runs `callback` on the next turn of the real event loop, even while a test fakes `setImmediate`. */
export function onNextEventLoopTurn(callback: () => void): void {
  realSetImmediate(callback);
}
