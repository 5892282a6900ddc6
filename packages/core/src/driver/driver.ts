import type { Capabilities } from '../capabilities.js';
import type { ErrorCode } from '../errors.js';
import type { MessageAttributes } from '../message-attributes.js';
import type { QueueConfig } from '../queue-config.js';
import type { SubscriptionConfig, TopicConfig } from '../topic-config.js';

/**
 * The driver SPI: what a transport implements. Core validates every argument before calling a
 * driver, chunks batches to `capabilities.maxBatchSize`, wraps errors and retries retryable ones.
 *
 * Rules for drivers:
 * - never retry; throw raw errors (or `MsgportError`s) and classify raw ones in `classifyError`;
 *   core never hands a raw error to the user: it keeps its name, message, code, HTTP status and
 *   request id (`TransportCause`) and scrubs the URL's secrets from the text;
 * - every call has a deadline kept by core (`callTimeoutMs`, plus the wait of a long poll): past it
 *   the caller gets `Timeout` and whatever the driver's promise does later is dropped. Drivers
 *   should still bound their own I/O (connect, handshake, each command) so nothing piles up;
 * - `receive` blocks at most `waitTimeSeconds` and honours `signal`, which fires when the caller
 *   aborts *or* core's deadline for the receive passes (then `signal.reason` is a `TimeoutError`):
 *   stop waiting and release what the request holds;
 * - operations on a missing queue or topic fail fast with `QueueDoesNotExist` / `TopicDoesNotExist`;
 * - batch methods report per-entry failures instead of throwing for one bad entry.
 */
export interface Driver {
  /** Short transport name: `memory`, `sqs`, `redis`, `rabbitmq`. */
  readonly transport: string;
  readonly capabilities: Capabilities;
  /**
   * True for a driver that works in-process without I/O (the memory transport): its calls cannot
   * hang on a peer, so core skips per-call deadline bookkeeping and passes the caller's `signal`
   * to `receive` as it is. Absent means false.
   */
  readonly local?: boolean;

  /** Creates the queue, or does nothing when it exists with an identical config; otherwise `QueueAlreadyExists`. */
  createQueue(name: string, config: QueueConfig): Promise<void>;
  deleteQueue(name: string): Promise<void>;
  listQueues(prefix?: string): Promise<string[]>;
  getQueue(name: string): Promise<DriverQueueInfo>;

  sendBatch(queue: string, entries: readonly DriverSendEntry[]): Promise<DriverBatchResult<DriverSendResult>>;
  receive(queue: string, request: DriverReceiveRequest): Promise<DriverMessage[]>;
  deleteBatch(queue: string, entries: readonly DriverReceiptEntry[]): Promise<DriverBatchResult<DriverEntryResult>>;
  changeVisibilityBatch(
    queue: string,
    entries: readonly DriverVisibilityEntry[],
  ): Promise<DriverBatchResult<DriverEntryResult>>;
  /** Removes available and in-flight messages; a second purge within 60 s is `PurgeInProgress`. */
  purge(queue: string): Promise<void>;

  createTopic(name: string, config: TopicConfig): Promise<void>;
  deleteTopic(name: string): Promise<void>;
  /** The topic's settings; `TopicDoesNotExist` when missing. */
  getTopic(name: string): Promise<TopicConfig>;
  listTopics(prefix?: string): Promise<string[]>;
  subscribe(topic: string, queue: string, config: SubscriptionConfig): Promise<string>;
  unsubscribe(subscriptionId: string): Promise<void>;
  listSubscriptions(topic: string): Promise<DriverSubscription[]>;
  publishBatch(topic: string, entries: readonly DriverPublishEntry[]): Promise<DriverBatchResult<DriverSendResult>>;

  /** Maps a raw error of this transport to a portable code; `undefined` means `Internal`. */
  classifyError?(error: unknown): ErrorCode | undefined;
  /** The underlying client, for the escape hatch `broker.native()`. */
  native?(): unknown;
  close(): Promise<void>;
}

export interface DriverQueueInfo {
  readonly config: QueueConfig;
  readonly stats: QueueStats;
}

export interface QueueStats {
  /** ApproximateNumberOfMessages: available for retrieval. */
  readonly visible: number;
  /** ApproximateNumberOfMessagesNotVisible: received, not deleted, visibility not expired. */
  readonly inFlight: number;
  /** ApproximateNumberOfMessagesDelayed. */
  readonly delayed: number;
  /** Age in whole seconds of the oldest message still in the queue; 0 when empty. */
  readonly oldestMessageAgeSeconds: number;
  readonly createdAt: Date;
}

export interface DriverSendEntry {
  readonly id: string;
  readonly body: string;
  readonly attributes: MessageAttributes;
  /** Resolved by core: the message's own delay, else the queue's default. */
  readonly delaySeconds: number;
  readonly groupId?: string;
  /** FIFO: resolved by core (explicit id, else SHA-256 of the body under content-based dedup). */
  readonly deduplicationId?: string;
}

export interface DriverSendResult {
  readonly id: string;
  readonly messageId: string;
  readonly sequenceNumber?: string;
}

export interface DriverEntryResult {
  readonly id: string;
}

export interface DriverBatchFailure {
  readonly id: string;
  readonly code: ErrorCode;
  readonly message: string;
  readonly senderFault: boolean;
}

export interface DriverBatchResult<T> {
  readonly successful: T[];
  readonly failed: DriverBatchFailure[];
}

export interface DriverReceiveRequest {
  readonly maxMessages: number;
  readonly waitTimeSeconds: number;
  /** Overrides the queue's visibility timeout for these messages. */
  readonly visibilityTimeoutSeconds?: number;
  /** Fires when the caller aborts or core's deadline passes (`reason` is then a `TimeoutError`). */
  readonly signal?: AbortSignal;
}

export interface DriverMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: MessageAttributes;
  /** ApproximateReceiveCount, counting this receive. */
  readonly receiveCount: number;
  /** Epoch milliseconds. */
  readonly sentTimestamp: number;
  readonly firstReceiveTimestamp: number;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly sequenceNumber?: string;
}

export interface DriverReceiptEntry {
  readonly id: string;
  readonly receiptHandle: string;
}

export interface DriverVisibilityEntry extends DriverReceiptEntry {
  readonly visibilityTimeoutSeconds: number;
}

export interface DriverPublishEntry {
  readonly id: string;
  readonly body: string;
  readonly attributes: MessageAttributes;
  readonly subject?: string;
  readonly groupId?: string;
  readonly deduplicationId?: string;
}

export interface DriverSubscription extends SubscriptionConfig {
  readonly id: string;
  readonly topic: string;
  readonly queue: string;
}
