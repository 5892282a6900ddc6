/**
 * @module @msgport/sqs — the Amazon SQS transport. Importing it registers `sqs://`:
 *
 *   connect('sqs://?region=eu-west-1')                                  // standard AWS credential chain
 *   connect('sqs://?region=us-east-1&endpoint=http://127.0.0.1:4566&accessKeyId=test&secretAccessKey=test')
 *
 * Queues only: SNS topics come from `@msgport/sns`, which installs them into this transport when imported.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { Broker, type BrokerOptions } from '@msgport/core';
import { DEFAULT_DEADLINES, type Deadlines, registerTransport } from '@msgport/core/driver';
import { createSqsClient } from './clients.js';
import { RequestMeter } from './request-meter.js';
import { SqsDriver } from './sqs-driver.js';
import { installedSqsTopics, type SqsTopicsFactory } from './sqs-topics.js';
import { parseSqsUrl, SQS_PUBLIC_PARAMS, type SqsConnectionOptions } from './url.js';

export { awsErrorCodes, normalizeAwsCode } from './aws-error-codes.js';
export { sqsCapabilities } from './capabilities.js';
export { classifyAwsError, errorCodeOf, type ServiceErrorCodes } from './classify-error.js';
export {
  type AwsClientOptions,
  awsClientConfig,
  createSqsClient,
  REQUEST_TIMEOUT_GRACE_MS,
  requestTimeoutMs,
} from './clients.js';
export { md5OfBody, md5OfMessageAttributes } from './md5.js';
export {
  type AwsService,
  type MessageCounts,
  type MeterableClient,
  type MeterSnapshot,
  meterClient,
  type RequestCounts,
  RequestMeter,
} from './request-meter.js';
export { SqsDriver, type SqsDriverOptions, type SqsNative, TRANSPORT_NAME } from './sqs-driver.js';
export {
  installedSqsTopics,
  installSqsTopics,
  type QueueEndpoints,
  type SqsTopics,
  type SqsTopicsContext,
  type SqsTopicsFactory,
} from './sqs-topics.js';
export {
  type AwsCredentials,
  parseSqsUrl,
  redactSqsUrl,
  SQS_PUBLIC_PARAMS,
  type SqsConnectionOptions,
} from './url.js';

/** `transportOptions` of `connect('sqs://…')`: a ready-made SDK client instead of one built from the URL. */
export interface SqsTransportOptions {
  readonly sqsClient?: SQSClient;
  readonly meter?: RequestMeter;
  /** Topics for this driver; default: those `@msgport/sns` installed, if it was imported. */
  readonly topics?: SqsTopicsFactory;
}

function hasSend(value: unknown): boolean {
  return value !== null && typeof value === 'object' && typeof (value as { send?: unknown }).send === 'function';
}

/** A driver for SQS queues (and topics, when `@msgport/sns` is imported) with clients built from connection options. */
export function createSqsDriver(
  options: SqsConnectionOptions = {},
  clients: SqsTransportOptions & Readonly<Record<string, unknown>> = {},
  deadlines?: Deadlines,
): SqsDriver {
  const topics = typeof clients.topics === 'function' ? clients.topics : installedSqsTopics();
  return new SqsDriver({
    sqs: hasSend(clients.sqsClient) ? (clients.sqsClient as SQSClient) : createSqsClient(options, deadlines),
    ...(deadlines ? { deadlines } : {}),
    ...(clients.meter instanceof RequestMeter ? { meter: clients.meter } : {}),
    ...(topics ? { topics } : {}),
    connection: options,
    transportOptions: clients,
  });
}

/** A broker on SQS (and SNS, when `@msgport/sns` is imported) without going through a URL. */
export function createSqsBroker(options: SqsConnectionOptions & BrokerOptions = {}): Broker {
  const deadlines = { ...DEFAULT_DEADLINES, ...options.deadlines };
  return new Broker(createSqsDriver(options, {}, deadlines), { ...options, deadlines });
}

registerTransport({
  schemes: ['sqs'],
  publicParams: SQS_PUBLIC_PARAMS,
  open({ url, transportOptions, deadlines }) {
    return createSqsDriver(parseSqsUrl(url), transportOptions, deadlines);
  },
});

// The message attributes of SQS and SNS requests have one shape (@msgport/sns publishes with it).
export { toSqsAttributes } from './message-mapping.js';
