import { type Broker, connect } from '@msgport/core';
import type { EventLogWriter } from './event-log.js';
import { sleep } from './free-port.js';

/**
 * `connect(url)` as a service would do it at start-up while the broker may be restarting: each
 * failure is logged, the next try follows half a second later, for up to `giveUpMs`.
 */
export async function connectWithRetry(
  url: string,
  log: EventLogWriter,
  role: string,
  giveUpMs = 120_000,
): Promise<Broker> {
  const deadline = Date.now() + giveUpMs;
  for (;;) {
    try {
      return await connect(url);
    } catch (error) {
      log.error(`${role}-connect`, error);
      if (Date.now() > deadline) throw error;
      await sleep(500);
    }
  }
}
