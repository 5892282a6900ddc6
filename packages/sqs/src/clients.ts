import { SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_DEADLINES, type Deadlines } from '@msgport/core/driver';
import type { SqsConnectionOptions } from './url.js';

/**
 * Sockets per endpoint. Every long poll holds one for up to 20 s, so a consumer needs one per
 * concurrent batch (up to 1,000 as in Lambda); the SDK's default pool of 50 would queue the rest.
 */
export const MAX_SOCKETS = 1_000;

/**
 * How much later than core's deadline the SDK gives up on a request itself: core reports the
 * `Timeout` (it bounds every call), the SDK then frees the socket of a request nobody waits for.
 */
export const REQUEST_TIMEOUT_GRACE_MS = 1_000;

/** The SDK's own bound on one request that waits `waitMs` on the server (a long poll), in ms. */
export function requestTimeoutMs(deadlines: Deadlines, waitMs = 0): number {
  return deadlines.callTimeoutMs + waitMs + REQUEST_TIMEOUT_GRACE_MS;
}

/** What an AWS SDK client (SQS, SNS) is given by msgport: where, who, and the broker's deadlines. */
export interface AwsClientOptions {
  readonly region?: string | undefined;
  readonly endpoint?: string | undefined;
  readonly credentials?:
    | { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string }
    | undefined;
}

/**
 * The settings msgport's SDK clients share: no SDK retries (core retries retryable errors), every
 * connection and request bounded by the broker's deadlines (`connectTimeoutMs`, `callTimeoutMs`; a
 * receive adds its wait), and region, endpoint and credentials (else the AWS default chain).
 */
export function awsClientConfig(options: AwsClientOptions, deadlines: Deadlines, agent?: object) {
  return {
    maxAttempts: 1,
    requestHandler: {
      ...(agent !== undefined ? { httpAgent: agent, httpsAgent: agent } : {}),
      connectionTimeout: deadlines.connectTimeoutMs,
      requestTimeout: requestTimeoutMs(deadlines),
      // without it the SDK only logs a request that outlives requestTimeout
      throwOnRequestTimeout: true,
    },
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: { ...options.credentials } } : {}),
  };
}

/**
 * An SQS client with `awsClientConfig`, MD5 checks left to the driver (which verifies each message
 * on its own instead of failing a whole receive), and a socket pool large enough for many
 * concurrent long polls.
 */
export function createSqsClient(options: SqsConnectionOptions, deadlines: Deadlines = DEFAULT_DEADLINES): SQSClient {
  return new SQSClient({
    ...awsClientConfig(options, deadlines, { keepAlive: true, maxSockets: MAX_SOCKETS }),
    md5: false,
  });
}
