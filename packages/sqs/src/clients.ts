import { SQSClient } from '@aws-sdk/client-sqs';
import type { SqsConnectionOptions } from './url.js';

/**
 * Sockets per endpoint. Every long poll holds one for up to 20 s, so a consumer needs one per
 * concurrent batch (up to 1,000 as in Lambda); the SDK's default pool of 50 would queue the rest.
 */
export const MAX_SOCKETS = 1_000;

/**
 * An SQS client that never retries (core retries retryable errors), leaves MD5 checks to the
 * driver (which verifies each message on its own instead of failing a whole receive) and has a
 * socket pool large enough for many concurrent long polls.
 */
export function createSqsClient(options: SqsConnectionOptions): SQSClient {
  const agent = { keepAlive: true, maxSockets: MAX_SOCKETS };
  return new SQSClient({
    maxAttempts: 1,
    md5: false,
    requestHandler: { httpAgent: agent, httpsAgent: agent },
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: { ...options.credentials } } : {}),
  });
}
