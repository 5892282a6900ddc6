export { type BatchOutcome, interpretBatchResponse } from './batch-response.js';
export { consume, consumeMessages, type MessageContext, type MessageHandler } from './consume.js';
export type { ConsumeOptions } from './consume-options.js';
export { type BatchCompleteEvent, Consumer, type ConsumerEvents, type StopOptions } from './consumer.js';
export type { ConsumerMetrics } from './consumer-metrics.js';
export type * from './lambda-types.js';
export { toSqsEvent, toSqsRecord } from './sqs-event.js';
