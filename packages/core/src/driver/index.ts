/**
 * @module @msgport/core/driver — the SPI for transport authors. Application code never needs it.
 */
export type { Capabilities, CapabilityName } from '../capabilities.js';
export { type Clock, ManualClock, systemClock } from '../clock.js';
export { DEADLINE_PARAMS, DEFAULT_DEADLINES, type Deadlines } from '../deadlines.js';
export { contentDeduplicationId, md5Hex } from '../digests.js';
export * from '../errors.js';
export { compileFilterPolicy, type FilterPredicate } from '../filter-policy/index.js';
export { LIMITS } from '../limits.js';
export type { LogFields, Logger } from '../logging/logger.js';
export { forwardingLogger, silentLogger } from '../logging/logger.js';
export type { MessageAttributes, MessageAttributeValue } from '../message-attributes.js';
export { type QueueConfig, resolveQueueConfig, sameQueueConfig } from '../queue-config.js';
export { redactCredentials, redactUrl } from '../redact.js';
export {
  type ConnectOptions,
  registerTransport,
  type TransportContext,
  type TransportFactory,
} from '../registry.js';
export { wrapSnsEnvelope } from '../sns-envelope.js';
export { resolveTopicConfig, type SubscriptionConfig, sameTopicConfig, type TopicConfig } from '../topic-config.js';
export { rawErrorOf, TransportCause } from '../transport-cause.js';
export { parseHostList } from '../url/authority.js';
export { BrokerUrl, formatHostPort, type HostPort } from '../url/broker-url.js';
export { attributesSize } from '../validation/attributes.js';
export { optionalSignal, optionsObject } from '../validation/options.js';
export type * from './driver.js';
export * from './kit/index.js';
