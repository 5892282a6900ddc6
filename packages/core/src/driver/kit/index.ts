/**
 * The semantics kit: SQS and SNS rules every transport needs, written once. A driver feeds them its
 * own primitives (storage, clock, connections) — as each adapter of a web framework feeds the same
 * base implementation its runtime's request and response.
 */
export { DedupWindow, dedupKey } from './dedup-window.js';
export { defineCapabilities, SQS_CAPABILITIES } from './define-capabilities.js';
export { eachEntry, eachEntryAsync, entryFailure } from './each-entry.js';
export { type FanOutDelivery, type FanOutPublish, type FanOutTarget, fanOut } from './fan-out.js';
export {
  LOCAL_ACCOUNT_ID,
  LOCAL_REGION,
  localArn,
  localQueueArn,
  localTopicArn,
  newSubscriptionArn,
  topicOfSubscriptionArn,
} from './local-arns.js';
export { type LongPollOptions, LongPolls, type LongPollsOptions, type PendingPoll } from './long-poll.js';
export { isNetworkError, NETWORK_ERROR_CODES } from './network-errors.js';
export { PurgeCooldowns, purgeCooldownError } from './purge-cooldown.js';
export { subscriptionFilter } from './subscription-filter.js';
export { type TlsUrlFiles, tlsConnectOptions } from './tls-files.js';
export { visibilityCapError, visibilityDeadline } from './visibility-cap.js';
