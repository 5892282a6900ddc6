import { SNSClient } from '@aws-sdk/client-sns';
import { DEFAULT_DEADLINES, type Deadlines } from '@msgport/core/driver';
import { awsClientConfig } from '@msgport/sqs';

export interface SnsClientOptions {
  readonly region?: string;
  readonly endpoint?: string;
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
}

/**
 * An SNS client that never retries (core retries retryable errors), bounded by the broker's deadlines
 * as the SQS client is; credentials default to the AWS chain.
 */
export function createSnsClient(options: SnsClientOptions, deadlines: Deadlines = DEFAULT_DEADLINES): SNSClient {
  return new SNSClient(awsClientConfig(options, deadlines));
}
