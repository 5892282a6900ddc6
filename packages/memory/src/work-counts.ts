/**
 * Work done by the queues of this process, for the complexity tests: every loop over messages or
 * groups counts its steps here, so a test can check that an operation's work does not grow with
 * the backlog. Plain increments: cheap enough to stay on.
 */
export const workCounts = {
  /** Messages a loop stepped on: served, expired, made due. */
  messageVisits: 0,
  /** Message groups a receive looked at (fair-queue lanes or FIFO groups). */
  groupVisits: 0,
};
