/**
 * @module @msgport/sns — Amazon SNS topics for the msgport SQS transport. Importing it registers
 * `sqs://` (through `@msgport/sqs`) and gives every sqs:// broker opened afterwards SNS topics whose
 * subscriptions are its SQS queues:
 *
 *   import '@msgport/sns';
 *   const broker = await connect('sqs://?region=eu-west-1'); // queues and topics
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import { installSqsTopics, type SqsNative } from '@msgport/sqs';
import { snsTopics } from './install.js';

export { snsTopics } from './install.js';
export { fromPublishBatch, toPublishEntry } from './publish-entries.js';
export { createSnsClient, type SnsClientOptions } from './sns-client.js';
export { snsErrorCode } from './sns-error-codes.js';
export { SnsTopics, type SnsTopicsOptions } from './sns-topics.js';
export { fromSubscriptionAttributes, toSubscriptionAttributes } from './subscription-attributes.js';
export { nameOfArn, TopicArns } from './topic-arns.js';

/** `broker.native()` of an sqs:// broker with topics. */
export interface SnsNative extends SqsNative {
  readonly sns: SNSClient;
}

installSqsTopics(snsTopics);
