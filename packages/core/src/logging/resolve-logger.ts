import { InvalidParameterError } from '../errors.js';
import { type Logger, type LoggerOption, silentLogger } from './logger.js';
import { createStderrLogger } from './stderr-logger.js';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

let defaultLogger: Logger | undefined;

/** The logger an option names: `false` silences, absent means stderr (shared, rate-limited). */
export function resolveLogger(option: LoggerOption | undefined | null): Logger {
  if (option === undefined || option === null) {
    defaultLogger ??= createStderrLogger();
    return defaultLogger;
  }
  if (option === false) return silentLogger;
  if (typeof option !== 'object' || LEVELS.some((level) => typeof option[level] !== 'function')) {
    throw new InvalidParameterError('logger must be false or an object with debug, info, warn and error methods');
  }
  return guarded(option);
}

/** A logger that throws must not take msgport down with it. */
function guarded(logger: Logger): Logger {
  const wrap =
    (level: (typeof LEVELS)[number]): Logger[typeof level] =>
    (message, fields) => {
      try {
        if (fields === undefined) logger[level](message);
        else logger[level](message, fields);
      } catch {
        // A broken logger has nowhere to report to; losing the line beats crashing the caller.
      }
    };
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}
