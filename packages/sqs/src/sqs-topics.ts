import type { Deadlines, Driver, ErrorCode } from '@msgport/core/driver';
import type { RequestMeter } from './request-meter.js';
import type { SqsConnectionOptions } from './url.js';

/**
 * What the topic half needs from the SQS transport: a queue's ARN (the subscription endpoint) and a
 * queue policy that lets the topic deliver.
 */
export interface QueueEndpoints {
  /** The queue's ARN; rejects with `QueueDoesNotExist` when the queue is missing. */
  queueArn(queueName: string, signal?: AbortSignal): Promise<string>;
  /** Adds `sqs:SendMessage` for the topic to the queue's policy (keeping the rest); idempotent. */
  allowTopic(queueName: string, topicArn: string, signal?: AbortSignal): Promise<void>;
}

/**
 * The topic operations of an sqs:// driver. `@msgport/sns` provides them (SNS topics whose
 * subscriptions are this driver's queues); without it the driver has queues only.
 */
export interface SqsTopics
  extends Pick<
    Driver,
    | 'createTopic'
    | 'deleteTopic'
    | 'getTopic'
    | 'listTopics'
    | 'subscribe'
    | 'unsubscribe'
    | 'listSubscriptions'
    | 'publishBatch'
  > {
  /** The portable code of one of the topic service's error codes, `undefined` when it is not one. */
  errorCode(code: string): ErrorCode | undefined;
  /** The topic service's client, for `broker.native()`. */
  readonly client: object;
  /** Ends in-flight requests and releases the client. */
  close(): void;
}

/** What the driver hands the topic half when it is built. */
export interface SqsTopicsContext {
  readonly queues: QueueEndpoints;
  /** The transport name for errors (`sqs`). */
  readonly transport: string;
  /** The driver's request meter; the topic half counts its requests and published messages there. */
  readonly meter: RequestMeter;
  /** What the `sqs://` URL (or `createSqsDriver`) configured: region, endpoints, credentials. */
  readonly connection: SqsConnectionOptions;
  /** The broker's deadlines: bound the topic client's connections and requests by them. */
  readonly deadlines: Deadlines;
  /** `transportOptions` of `connect()`, e.g. a ready-made `snsClient`. */
  readonly transportOptions: Readonly<Record<string, unknown>>;
}

/** Builds the topic half of one driver. */
export type SqsTopicsFactory = (context: SqsTopicsContext) => SqsTopics;

let installed: SqsTopicsFactory | undefined;

/**
 * Gives every sqs:// driver opened from now on topics built by `factory`. `@msgport/sns` calls it when
 * imported, so `import '@msgport/sns'` is all an application does to have SNS topics on `sqs://`.
 */
export function installSqsTopics(factory: SqsTopicsFactory): void {
  installed = factory;
}

/** The installed topic factory, if any. */
export function installedSqsTopics(): SqsTopicsFactory | undefined {
  return installed;
}
