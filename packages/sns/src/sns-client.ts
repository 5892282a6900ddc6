import { SNSClient } from '@aws-sdk/client-sns';

export interface SnsClientOptions {
  readonly region?: string;
  readonly endpoint?: string;
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
}

/** An SNS client that never retries (core retries retryable errors); credentials default to the AWS chain. */
export function createSnsClient(options: SnsClientOptions): SNSClient {
  return new SNSClient({
    maxAttempts: 1,
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: { ...options.credentials } } : {}),
  });
}
