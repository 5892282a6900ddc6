/** What the tool hands a producer or consumer process, as one JSON argument. */
export interface ClientArgs {
  readonly url: string;
  readonly queue: string;
  /** This process's event log (see event-log.ts). */
  readonly log: string;
  /** Producer: how many messages, at what rate, giving up on one batch after this long. */
  readonly messages?: number;
  readonly ratePerSecond?: number;
  readonly giveUpSeconds?: number;
  /** Consumer: concurrent batches (2–1,000). */
  readonly concurrency?: number;
}

export function readClientArgs(): ClientArgs {
  const text = process.argv[2];
  if (!text) throw new Error('usage: <json arguments>');
  return JSON.parse(text) as ClientArgs;
}

/** Within one client process: an error logged and the process ended, so nothing is left unreported. */
export function exitOnUnhandled(report: (error: unknown) => void): void {
  const fail = (error: unknown) => {
    report(error);
    process.exit(70);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
}
