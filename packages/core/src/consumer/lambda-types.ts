/**
 * The AWS Lambda SQS event types, structurally identical to `@types/aws-lambda`, so a handler
 * written for Lambda runs under `consume()` unchanged (and the other way round).
 */
export type SQSMessageAttributeDataType = 'String' | 'Number' | 'Binary' | string;

export interface SQSMessageAttribute {
  stringValue?: string | undefined;
  binaryValue?: string | undefined;
  stringListValues?: string[] | undefined;
  binaryListValues?: string[] | undefined;
  dataType: SQSMessageAttributeDataType;
}

export interface SQSMessageAttributes {
  [name: string]: SQSMessageAttribute;
}

export interface SQSRecordAttributes {
  AWSTraceHeader?: string | undefined;
  ApproximateReceiveCount: string;
  SentTimestamp: string;
  SenderId: string;
  ApproximateFirstReceiveTimestamp: string;
  SequenceNumber?: string | undefined;
  MessageGroupId?: string | undefined;
  MessageDeduplicationId?: string | undefined;
  DeadLetterQueueSourceArn?: string | undefined;
}

export interface SQSRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: SQSRecordAttributes;
  messageAttributes: SQSMessageAttributes;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  eventSource: string;
  eventSourceARN: string;
  awsRegion: string;
}

export interface SQSEvent {
  Records: SQSRecord[];
}

export interface SQSBatchItemFailure {
  itemIdentifier: string;
}

export interface SQSBatchResponse {
  batchItemFailures: SQSBatchItemFailure[];
}

/** The Lambda `Context`, plus the AbortSignal msgport fires on timeout or forced stop. */
export interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  getRemainingTimeInMillis(): number;
  done(error?: Error, result?: unknown): void;
  fail(error: Error | string): void;
  succeed(messageOrObject: unknown): void;
  /** Aborted when the function times out or the consumer is force-stopped; the batch is then not deleted. */
  readonly signal: AbortSignal;
}

export type LambdaCallback<T> = (error?: Error | string | null, result?: T) => void;

/** The Lambda handler signature for SQS event sources (`SQSHandler` in `@types/aws-lambda`). */
export type SQSHandler = (
  event: SQSEvent,
  context: LambdaContext,
  // biome-ignore lint/suspicious/noConfusingVoidType: Lambda handlers may answer nothing.
  callback: LambdaCallback<SQSBatchResponse | void>,
  // biome-ignore lint/suspicious/noConfusingVoidType: Lambda handlers may return nothing.
) => void | Promise<SQSBatchResponse | void | undefined | null>;
