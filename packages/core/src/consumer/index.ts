export { type BatchOutcome, type ItemFailure, interpretBatchResponse } from './batch-response.js';
export { consume, consumeMessages, type MessageContext, type MessageHandler } from './consume.js';
export type { ConsumeOptions } from './consume-options.js';
export { Consumer } from './consumer.js';
export type { BatchCompleteEvent, ConsumerEvents, StopOptions, StoppedEvent, StopReason } from './consumer-events.js';
export type { ConsumerMetrics } from './consumer-metrics.js';
export type * from './lambda-types.js';
export { toSqsEvent, toSqsRecord } from './sqs-event.js';
