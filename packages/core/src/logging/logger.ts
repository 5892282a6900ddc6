/** Structured context of a log line: a queue name, message ids, an error code… never a secret. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Where msgport reports what would otherwise go unseen: handler failures, transport errors,
 * reconnects, guard-rail warnings. Any object with these four methods fits — `console`, pino,
 * winston, bunyan.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** The `logger` option: a logger, `false` to silence msgport, or absent for one line each on stderr. */
export type LoggerOption = Logger | false;

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/**
 * A logger that forwards to whatever `target()` returns at the time of each call (nothing while it
 * returns undefined). For a driver built before the broker whose logger it should use.
 */
export function forwardingLogger(target: () => Logger | undefined): Logger {
  return {
    debug: (message, fields) => target()?.debug(message, fields),
    info: (message, fields) => target()?.info(message, fields),
    warn: (message, fields) => target()?.warn(message, fields),
    error: (message, fields) => target()?.error(message, fields),
  };
}
