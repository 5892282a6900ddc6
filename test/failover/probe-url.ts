import { connect } from '@msgport/core';
import { describeError } from '../support/event-log.js';

/**
 * Whether the transport accepts the client URL at all (a Sentinel URL may not be supported yet):
 * one `connect()` and a cheap call. Resolves with the error's code and message when it fails.
 */
export async function probeUrl(url: string, queue: string): Promise<string | undefined> {
  try {
    const broker = await connect(url, { logger: false });
    try {
      await broker.queue(queue).getAttributes();
    } finally {
      await broker.close();
    }
    return undefined;
  } catch (error) {
    const { code, retryable, message } = describeError(error);
    return `${code}${retryable ? ' (retryable)' : ''}: ${message}`;
  }
}
