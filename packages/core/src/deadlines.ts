import { InvalidParameterError } from './errors.js';
import type { BrokerUrl } from './url/broker-url.js';

/** How long msgport waits for a transport before failing with `Timeout` (DESIGN §6). */
export interface Deadlines {
  /** Connecting: TCP, TLS, handshake and authentication. Default 10,000 ms. */
  readonly connectTimeoutMs: number;
  /** Each command or request, beyond a long poll's own wait. Default 30,000 ms. */
  readonly callTimeoutMs: number;
}

export type DeadlineOptions = Partial<Deadlines>;

export const DEFAULT_DEADLINES: Deadlines = { connectTimeoutMs: 10_000, callTimeoutMs: 30_000 };

/** URL parameters every transport accepts; core reads them, transports receive `Deadlines`. */
export const DEADLINE_PARAMS = ['connectTimeoutMs', 'callTimeoutMs'] as const;

// setTimeout's largest delay; beyond it Node fires at once.
const MAX_TIMER_MS = 2_147_483_647;

/** Options win over URL parameters, which win over the defaults. */
export function resolveDeadlines(url: BrokerUrl | undefined, options: DeadlineOptions = {}): Deadlines {
  const pick = (name: (typeof DEADLINE_PARAMS)[number]): number => {
    const given = options[name];
    if (given !== undefined) return checked(name, given);
    const text = url?.param(name);
    if (text !== undefined) {
      if (!/^\d+$/.test(text))
        throw new InvalidParameterError(`URL parameter ${name} must be a whole number of milliseconds`);
      return checked(name, Number(text));
    }
    return DEFAULT_DEADLINES[name];
  };
  return { connectTimeoutMs: pick('connectTimeoutMs'), callTimeoutMs: pick('callTimeoutMs') };
}

function checked(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_TIMER_MS) {
    throw new InvalidParameterError(`${name} must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}`);
  }
  return value;
}
