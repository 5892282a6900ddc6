/**
 * How long promise callbacks may hold the event loop before the consumer runtime steps aside.
 * A local transport (memory) answers without I/O, so a consumer with a backlog could otherwise run
 * on promise callbacks for as long as the backlog lasts: no timer, socket or `stop()` gets a turn.
 */
export const HOLD_BUDGET_MS = 4;

let nextTurn: Promise<void> | undefined;
let holdingSince = 0;

/**
 * Undefined while the event loop has turned within the budget; otherwise a promise that resolves
 * on its next turn, which every poller awaits so the microtask queue drains. One `setImmediate` a
 * turn marks the turns, and only while some consumer asks.
 */
export function pendingEventLoopTurn(): Promise<void> | undefined {
  if (nextTurn === undefined) {
    holdingSince = performance.now();
    nextTurn = new Promise((resolve) =>
      setImmediate(() => {
        nextTurn = undefined;
        resolve();
      }),
    );
    return undefined;
  }
  return performance.now() - holdingSince >= HOLD_BUDGET_MS ? nextTurn : undefined;
}
