/**
 * @module @msgport/sns — Amazon SNS topics for the msgport SQS transport. `connect('sqs://…')` from
 * `@msgport/sqs` uses it for topics; subscriptions are SQS queues of that transport.
 */
export { awsErrorCodes, normalizeAwsCode, snsErrorCode } from './aws-error-codes.js';
export { fromPublishBatch, toPublishEntry } from './publish-entries.js';
export type { PublishCounter, QueueEndpoints } from './queue-endpoints.js';
export { createSnsClient, type SnsClientOptions } from './sns-client.js';
export { SnsTopics, type SnsTopicsOptions } from './sns-topics.js';
export { fromSubscriptionAttributes, toSubscriptionAttributes } from './subscription-attributes.js';
export { nameOfArn, TopicArns } from './topic-arns.js';
