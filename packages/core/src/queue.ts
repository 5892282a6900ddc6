import { chunkEntries } from './batching.js';
import { type BrokerRuntime, brokerRuntimeOf } from './broker-runtime.js';
import type { Codec } from './codecs.js';
import type {
  DriverEntryResult,
  DriverMessage,
  DriverReceiptEntry,
  DriverReceiveRequest,
  DriverSendResult,
  DriverVisibilityEntry,
  QueueStats,
} from './driver/driver.js';
import { abortedError, type DriverCaller } from './driver-call.js';
import { createError, isMsgportError } from './errors.js';
import { LIMITS } from './limits.js';
import type { QueueCounters, QueueMetrics } from './metrics/queue-metrics.js';
import {
  type BatchTally,
  batchTally,
  encodeBody,
  prepareSendEntry,
  type SendOptions,
  sendEntrySize,
} from './prepare-entries.js';
import { type QueueConfig, resolveQueueConfig } from './queue-config.js';
import { ReceivedMessage } from './received-message.js';
import { type RedriveOptions, type RedriveResult, redriveMessages, resolveRedriveOptions } from './redrive.js';
import { type BatchResult, runBatch } from './run-batch.js';
import { unwrapSnsEnvelope } from './sns-envelope.js';
import { traceReceive, traceSend } from './tracing/messaging-spans.js';
import { assertBatchEntryIds, assertReceiptHandle } from './validation/batch.js';
import { isFifoName } from './validation/names.js';
import { optionalSignal, optionsObject } from './validation/options.js';
import { assertIntegerInRange, assertOptionalIntegerInRange } from './validation/ranges.js';

export interface QueueHandleOptions<T> {
  /** How bodies are encoded on send and decoded on receive. Default: text. */
  readonly codec?: Codec<T>;
  /** Present messages that arrive in an SNS envelope by their published body and attributes. */
  readonly unwrapEnvelopes?: boolean;
}

export interface SendResult {
  readonly messageId: string;
  readonly sequenceNumber?: string;
}

export interface SendBatchEntry<T> extends SendOptions {
  readonly id: string;
  readonly body: T;
}

export interface ReceiveOptions {
  /** 1–10, default 1. */
  readonly maxMessages?: number;
  /** Long-poll for up to 0–20 s; default: the queue's receiveWaitTimeSeconds. */
  readonly waitTimeSeconds?: number;
  /** Overrides the queue's visibility timeout for these messages (0–43,200). */
  readonly visibilityTimeoutSeconds?: number;
  readonly signal?: AbortSignal;
}

export interface VisibilityBatchEntry extends DriverReceiptEntry {
  readonly visibilityTimeoutSeconds: number;
}

export interface QueueAttributes extends QueueStats {
  readonly name: string;
  readonly config: QueueConfig;
}

type ReceiptSource = string | { readonly receiptHandle: string };

const handleOf = (source: ReceiptSource) => (typeof source === 'string' ? source : source?.receiptHandle);

/** A queue with SQS semantics on any transport. Obtain it from `broker.createQueue` or `broker.queue`. */
export class Queue<T = string> {
  readonly name: string;
  readonly fifo: boolean;
  readonly #caller: DriverCaller;
  readonly #codec: Codec<T>;
  readonly #unwrap: boolean;
  #config: Promise<QueueConfig> | undefined;
  #loaded = false;
  #counters: QueueCounters | undefined;

  /** @internal Use `broker.queue()` or `broker.createQueue()`. */
  constructor(
    caller: DriverCaller,
    name: string,
    codec: Codec<T>,
    options: { unwrapEnvelopes?: boolean; config?: QueueConfig },
  ) {
    this.#caller = caller;
    this.name = name;
    this.fifo = isFifoName(name);
    this.#codec = codec;
    this.#unwrap = options.unwrapEnvelopes ?? false;
    if (options.config) {
      this.#config = Promise.resolve(options.config);
      this.#loaded = true;
    }
  }

  get #driver() {
    return this.#caller.driver;
  }

  /** This queue's client-side counters, looked up once per handle. */
  get #count(): QueueCounters {
    this.#counters ??= this.#caller.metrics.live(this.name);
    return this.#counters;
  }

  /** The queue's settings, loaded once per handle (send validates against them). */
  config(): Promise<QueueConfig> {
    this.#caller.assertOpen('read the queue config');
    if (!this.#config) {
      const loading = this.#caller
        .call('getQueue', () => this.#driver.getQueue(this.name))
        .then((info) => {
          this.#loaded = true;
          return info.config;
        });
      loading.catch(() => {
        if (this.#config === loading) this.#config = undefined;
      });
      this.#config = loading;
    }
    return this.#config;
  }

  async send(body: T, options?: SendOptions | null): Promise<SendResult> {
    const result = await this.sendBatch([{ ...optionsObject('send options', options), id: 'm', body }]);
    const failure = result.failed[0];
    if (failure) throw createError(failure.code, failure.message, { transport: this.#driver.transport });
    const sent = result.successful[0] as DriverSendResult;
    return {
      messageId: sent.messageId,
      ...(sent.sequenceNumber !== undefined ? { sequenceNumber: sent.sequenceNumber } : {}),
    };
  }

  /** Sends any number of entries; invalid entries fail alone and are reported in `failed`. */
  sendBatch(entries: readonly SendBatchEntry<T>[]): Promise<BatchResult<DriverSendResult>> {
    return traceSend(
      { name: this.name, transport: this.#driver.transport, kind: 'queue' },
      Array.isArray(entries) ? entries.length : 0,
      () => this.#sendBatch(entries),
      (result) => result.successful[0]?.messageId,
    );
  }

  async #sendBatch(entries: readonly SendBatchEntry<T>[]): Promise<BatchResult<DriverSendResult>> {
    this.#caller.assertOpen('send');
    const { maxBatchSize, maxDelaySeconds } = this.#driver.capabilities;
    // The entry doubles as its own SendOptions: prepareSendEntry reads only the option fields.
    const prepare = (entry: SendBatchEntry<T>, config: QueueConfig, tally?: BatchTally) =>
      prepareSendEntry(entry.id, encodeBody(this.#codec, entry.body), entry, config, maxDelaySeconds, tally);
    if (!this.#loaded) {
      // The config is not known yet: check what needs no config first, so bad input is reported
      // without I/O (and as itself, not as QueueDoesNotExist) when no entry could be sent anyway.
      assertBatchEntryIds(entries);
      const permissive = {
        ...resolveQueueConfig(this.name, { fifo: this.fifo }),
        maxMessageBytes: LIMITS.messageBytesMax,
        contentBasedDeduplication: true,
      };
      if (!entries.some((entry) => passes(() => prepare(entry, permissive)))) {
        return runBatch({
          entries,
          prepare: (entry) => prepare(entry, permissive),
          chunk: () => [],
          execute: neverCalled,
          wrap: (e) => this.#caller.wrap('send', e),
        });
      }
    }
    const config = await this.config();
    const tally = batchTally();
    const result = await runBatch({
      entries,
      prepare: (entry) => prepare(entry, config, tally),
      // SQS limits a batch's total payload to 1 MiB whatever the queue's own message size limit.
      chunk: (prepared) =>
        prepared.length > 0 && prepared.length <= maxBatchSize && tally.bytes <= LIMITS.messageBytesMax
          ? [prepared]
          : chunkEntries(prepared, maxBatchSize, sendEntrySize, LIMITS.messageBytesMax),
      execute: (chunk) => this.#caller.call('send', () => this.#driver.sendBatch(this.name, chunk)),
      wrap: (error) => this.#caller.wrap('send', error),
    });
    this.#count.NumberOfMessagesSent += result.successful.length;
    return result;
  }

  receive(options?: ReceiveOptions | null): Promise<ReceivedMessage<T>[]> {
    return traceReceive({ name: this.name, transport: this.#driver.transport, kind: 'queue' }, () =>
      this.#receive(options),
    );
  }

  async #receive(options: ReceiveOptions | null | undefined): Promise<ReceivedMessage<T>[]> {
    const given = optionsObject('receive options', options);
    const maxMessages = given.maxMessages ?? 1;
    assertIntegerInRange('maxMessages', maxMessages, 1, LIMITS.receiveMessagesMax);
    assertOptionalIntegerInRange('waitTimeSeconds', given.waitTimeSeconds, 0, LIMITS.waitTimeMaxSeconds);
    const visibility = given.visibilityTimeoutSeconds;
    assertOptionalIntegerInRange('visibilityTimeoutSeconds', visibility, 0, LIMITS.visibilityTimeoutMaxSeconds);
    const signal = optionalSignal('signal', given.signal);
    this.#caller.assertOpen('receive');
    if (signal?.aborted) throw abortedError('receive', signal, this.#driver.transport);
    const waitTimeSeconds = given.waitTimeSeconds ?? (await this.config()).receiveWaitTimeSeconds;
    const messages = await this.#caller.call(
      'receive',
      (callSignal) => {
        const request: { -readonly [K in keyof DriverReceiveRequest]: DriverReceiveRequest[K] } = {
          maxMessages,
          waitTimeSeconds,
        };
        if (visibility !== undefined) request.visibilityTimeoutSeconds = visibility;
        if (callSignal) request.signal = callSignal;
        return this.#driver.receive(this.name, request);
      },
      { signal, waitMs: waitTimeSeconds * 1000, abortable: true },
    );
    if (messages.length > 0) this.#count.NumberOfMessagesReceived += messages.length;
    else this.#count.NumberOfEmptyReceives++;
    const received: ReceivedMessage<T>[] = new Array(messages.length);
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i] as DriverMessage;
      const unwrapped = this.#unwrap ? unwrapSnsEnvelope(message.body) : undefined;
      received[i] = new ReceivedMessage(message, this.#codec, unwrapped);
    }
    return received;
  }

  /** Deletes a received message. A stale handle resolves without error, as on SQS. */
  async delete(message: ReceiptSource): Promise<void> {
    const receiptHandle = handleOf(message);
    assertReceiptHandle(receiptHandle);
    const result = await this.deleteBatch([{ id: 'm', receiptHandle }]);
    const failure = result.failed[0];
    if (failure) throw createError(failure.code, failure.message, { transport: this.#driver.transport });
  }

  async deleteBatch(entries: readonly DriverReceiptEntry[]): Promise<BatchResult<DriverEntryResult>> {
    this.#caller.assertOpen('delete');
    // An in-process driver reads the entries before this call returns, so they need no copy; a
    // remote one may read them after an await, when the caller could have changed them.
    const copy = !this.#driver.local;
    const result = await runBatch({
      entries,
      prepare: (entry) => {
        assertReceiptHandle(entry.receiptHandle);
        return copy ? { id: entry.id, receiptHandle: entry.receiptHandle } : entry;
      },
      chunk: (prepared) => chunkEntries(prepared, this.#driver.capabilities.maxBatchSize),
      execute: (chunk) => this.#caller.call('delete', () => this.#driver.deleteBatch(this.name, chunk)),
      wrap: (error) => this.#caller.wrap('delete', error),
    });
    this.#count.NumberOfMessagesDeleted += result.successful.length;
    return result;
  }

  /** Sets the message's visibility timeout counting from now (0 makes it visible at once). */
  async changeVisibility(message: ReceiptSource, visibilityTimeoutSeconds: number): Promise<void> {
    const receiptHandle = handleOf(message);
    assertReceiptHandle(receiptHandle);
    assertIntegerInRange('visibilityTimeoutSeconds', visibilityTimeoutSeconds, 0, LIMITS.visibilityTimeoutMaxSeconds);
    const result = await this.changeVisibilityBatch([{ id: 'm', receiptHandle, visibilityTimeoutSeconds }]);
    const failure = result.failed[0];
    if (failure) throw createError(failure.code, failure.message, { transport: this.#driver.transport });
  }

  async changeVisibilityBatch(entries: readonly VisibilityBatchEntry[]): Promise<BatchResult<DriverEntryResult>> {
    this.#caller.assertOpen('change visibility');
    return runBatch<VisibilityBatchEntry, DriverVisibilityEntry, DriverEntryResult>({
      entries,
      prepare: (entry) => {
        assertReceiptHandle(entry.receiptHandle);
        assertIntegerInRange(
          'visibilityTimeoutSeconds',
          entry.visibilityTimeoutSeconds,
          0,
          LIMITS.visibilityTimeoutMaxSeconds,
        );
        return {
          id: entry.id,
          receiptHandle: entry.receiptHandle,
          visibilityTimeoutSeconds: entry.visibilityTimeoutSeconds,
        };
      },
      chunk: (prepared) => chunkEntries(prepared, this.#driver.capabilities.maxBatchSize),
      execute: (chunk) =>
        this.#caller.call('change visibility', () => this.#driver.changeVisibilityBatch(this.name, chunk)),
      wrap: (error) => this.#caller.wrap('change visibility', error),
    });
  }

  /** Removes every available and in-flight message; again within 60 s is `PurgeInProgress`. */
  async purge(): Promise<void> {
    await this.#caller.call('purge', () => this.#driver.purge(this.name));
  }

  /** CloudWatch-named metrics: this process's counters plus the queue's approximate state. */
  async metrics(): Promise<QueueMetrics> {
    const stats = await this.getAttributes();
    return {
      ...this.#caller.metrics.counters(this.name),
      ApproximateNumberOfMessagesVisible: stats.visible,
      ApproximateNumberOfMessagesNotVisible: stats.inFlight,
      ApproximateNumberOfMessagesDelayed: stats.delayed,
      ApproximateAgeOfOldestMessage: stats.oldestMessageAgeSeconds,
    };
  }

  /** The transport and queue behind this handle, for the consumer runtime and diagnostics. */
  get transport(): string {
    return this.#driver.transport;
  }

  /** @internal The broker behind this handle as the consumer runtime needs it (logger, close, capabilities). */
  get runtime(): BrokerRuntime {
    return brokerRuntimeOf(this.#caller, this.#driver);
  }

  async getAttributes(): Promise<QueueAttributes> {
    const info = await this.#caller.call('get queue attributes', () => this.#driver.getQueue(this.name));
    this.#config = Promise.resolve(info.config);
    this.#loaded = true;
    return { name: this.name, config: info.config, ...info.stats };
  }

  /**
   * Moves messages from this queue (normally a dead-letter queue) to `to`, or back to the one queue
   * that uses it as its dead-letter queue. Moved messages are new messages (receiveCount 1).
   */
  async redrive(options?: RedriveOptions | null): Promise<RedriveResult> {
    return redriveMessages(this.#caller, this.name, resolveRedriveOptions(this.name, options));
  }

  /** @internal Whether two handles name the same queue of the same broker. */
  static same(a: Queue<unknown>, b: Queue<unknown>): boolean {
    return a === b || (a.name === b.name && #caller in a && #caller in b && a.#caller === b.#caller);
  }
}

function passes(check: () => unknown): boolean {
  try {
    check();
    return true;
  } catch (error) {
    if (isMsgportError(error)) return false;
    throw error;
  }
}

const neverCalled = (): never => {
  throw new Error('unreachable: no entry passed validation');
};
