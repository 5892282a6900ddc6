/**
 * @module @msgport/sqs — the Amazon SQS transport, with SNS topics from `@msgport/sns`.
 * Importing it registers `sqs://`:
 *
 *   connect('sqs://?region=eu-west-1')                                  // standard AWS credential chain
 *   connect('sqs://?region=us-east-1&endpoint=http://127.0.0.1:4566&accessKeyId=test&secretAccessKey=test')
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { Broker, type BrokerOptions } from '@msgport/core';
import { type ConnectOptions, registerTransport } from '@msgport/core/driver';
import { createSnsClient } from '@msgport/sns';
import { createSqsClient } from './clients.js';
import { RequestMeter } from './request-meter.js';
import { SqsDriver } from './sqs-driver.js';
import { parseSqsUrl, type SqsConnectionOptions } from './url.js';

export { sqsCapabilities } from './capabilities.js';
export { classifyAwsError, errorCodeOf } from './classify-error.js';
export { createSqsClient } from './clients.js';
export { md5OfBody, md5OfMessageAttributes } from './md5.js';
export {
  type AwsService,
  type MessageCounts,
  type MeterSnapshot,
  meterClient,
  type RequestCounts,
  RequestMeter,
} from './request-meter.js';
export { SqsDriver, type SqsDriverOptions, type SqsNative, TRANSPORT_NAME } from './sqs-driver.js';
export { type AwsCredentials, parseSqsUrl, redactSqsUrl, type SqsConnectionOptions } from './url.js';

type SNSClient = NonNullable<ConstructorParameters<typeof SqsDriver>[0]['sns']>;

/** `transportOptions` of `connect('sqs://…')`: ready-made SDK clients instead of ones built from the URL. */
export interface SqsTransportOptions {
  readonly sqsClient?: SQSClient;
  readonly snsClient?: SNSClient;
  readonly meter?: RequestMeter;
}

function hasSend(value: unknown): boolean {
  return value !== null && typeof value === 'object' && typeof (value as { send?: unknown }).send === 'function';
}

function readTransportOptions(options: ConnectOptions): SqsTransportOptions {
  const raw = options.transportOptions ?? {};
  return {
    ...(hasSend(raw.sqsClient) ? { sqsClient: raw.sqsClient as SQSClient } : {}),
    ...(hasSend(raw.snsClient) ? { snsClient: raw.snsClient as SNSClient } : {}),
    ...(raw.meter instanceof RequestMeter ? { meter: raw.meter } : {}),
  };
}

/** A driver for SQS queues and SNS topics with clients built from connection options. */
export function createSqsDriver(options: SqsConnectionOptions = {}, clients: SqsTransportOptions = {}): SqsDriver {
  const snsOptions = {
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.snsEndpoint !== undefined ? { endpoint: options.snsEndpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
  };
  return new SqsDriver({
    sqs: clients.sqsClient ?? createSqsClient(options),
    sns: clients.snsClient ?? createSnsClient(snsOptions),
    ...(clients.meter ? { meter: clients.meter } : {}),
  });
}

/** A broker on SQS and SNS without going through a URL. */
export function createSqsBroker(options: SqsConnectionOptions & BrokerOptions = {}): Broker {
  return new Broker(createSqsDriver(options), options);
}

registerTransport({
  schemes: ['sqs'],
  open(url, options) {
    return createSqsDriver(parseSqsUrl(url), readTransportOptions(options));
  },
});
