/**
 * @module @msgport/core — one message-broker API with Amazon SQS queue semantics, SNS topic
 * fan-out and filter policies, over pluggable transports chosen by URL.
 */
export { Broker, type BrokerOptions, type TopicHandleOptions } from './broker.js';
export type { Capabilities, CapabilityName } from './capabilities.js';
export { type Clock, ManualClock, systemClock } from './clock.js';
export { binaryCodec, type Codec, json, jsonCodec, textCodec } from './codecs.js';
export * from './consumer/index.js';
export { DEFAULT_DEADLINES, type DeadlineOptions, type Deadlines } from './deadlines.js';
export type { QueueStats } from './driver/driver.js';
export type { RetryOptions } from './driver-call.js';
export * from './errors.js';
export {
  compileFilterPolicy,
  type FilterInput,
  type FilterPolicy,
  type FilterPolicyScope,
  type FilterPredicate,
  matchesFilterPolicy,
  validateFilterPolicy,
} from './filter-policy/index.js';
export { LIMITS } from './limits.js';
export type { LogFields, Logger, LoggerOption } from './logging/logger.js';
export { createStderrLogger, type StderrLoggerOptions } from './logging/stderr-logger.js';
export type {
  MessageAttributeInput,
  MessageAttributes,
  MessageAttributesInput,
  MessageAttributeValue,
} from './message-attributes.js';
export type { QueueCounters, QueueMetrics } from './metrics/queue-metrics.js';
export * from './mirror/index.js';
export { type MoveMessagesOptions, moveMessages } from './move-messages.js';
export type { PublishOptions, SendOptions } from './prepare-entries.js';
export {
  Queue,
  type QueueAttributes,
  type QueueHandleOptions,
  type ReceiveOptions,
  type SendBatchEntry,
  type SendResult,
  type VisibilityBatchEntry,
} from './queue.js';
export type {
  CreateQueueOptions,
  DeadLetterOptions,
  DeduplicationScope,
  FifoThroughputLimit,
  QueueConfig,
} from './queue-config.js';
export { ReceivedMessage } from './received-message.js';
/** @deprecated Parse with `BrokerUrl` and format `redacted()`; kept until the CLI and RabbitMQ stop using them. */
export { redactCredentials, redactUrl } from './redact.js';
export type { RedriveOptions, RedriveProgress, RedriveResult } from './redrive.js';
export {
  type ConnectOptions,
  connect,
  registeredSchemes,
  registerTransport,
  type TransportContext,
  type TransportFactory,
} from './registry.js';
export type { BatchFailure, BatchResult } from './run-batch.js';
export { type SnsEnvelope, type UnwrappedMessage, unwrapSnsEnvelope, wrapSnsEnvelope } from './sns-envelope.js';
export { type StopOnSignalsOptions, stopOnSignals } from './stop-on-signals.js';
export { type PublishBatchEntry, type PublishResult, type Subscription, Topic } from './topic.js';
export type { CreateTopicOptions, SubscribeOptions, SubscriptionConfig, TopicConfig } from './topic-config.js';
export { rawErrorOf, TransportCause } from './transport-cause.js';
export { BrokerUrl, type HostPort } from './url/broker-url.js';
