import { setMaxListeners } from 'node:events';
import { EventEmitter } from 'eventemitter3';
import { type Clock, systemClock } from '../clock.js';
import { AbortedError, InvalidParameterError, isMsgportError, MsgportError } from '../errors.js';
import type { Queue } from '../queue.js';
import type { ReceivedMessage } from '../received-message.js';
import { type BatchOutcome, extendFailuresToGroupTail } from './batch-response.js';
import {
  type ConsumeOptions,
  INITIAL_CONCURRENCY,
  type ResolvedConsumeOptions,
  resolveConsumeOptions,
} from './consume-options.js';
import { type ConsumerMetrics, ConsumerMetricsRecorder } from './consumer-metrics.js';
import { DeadlineWatch } from './deadline-watch.js';
import { Invocation } from './invocation.js';
import { createLambdaContext } from './lambda-context.js';
import type { LambdaContext } from './lambda-types.js';

/** Runs one batch and says what became of it; built by `consume` (Lambda handlers) or `consumeMessages`. */
export type BatchProcessor<T> = (
  messages: readonly ReceivedMessage<T>[],
  context: LambdaContext,
) => Promise<BatchOutcome>;

export interface BatchCompleteEvent {
  readonly messageIds: readonly string[];
  readonly deleted: number;
  readonly failed: number;
  readonly outcome: BatchOutcome['kind'] | 'aborted';
  readonly durationMs: number;
}

export interface ConsumerEvents {
  /** A batch is handed to the handler. */
  batch: (event: { readonly messageIds: readonly string[] }) => void;
  batchComplete: (event: BatchCompleteEvent) => void;
  /** The handler failed a whole batch (threw, timed out or answered invalidly). */
  handlerError: (error: unknown, messageIds: readonly string[]) => void;
  /** Receiving, deleting or extending visibility failed; the consumer keeps going. */
  transportError: (error: MsgportError) => void;
  concurrency: (target: number) => void;
  warning: (message: string) => void;
  stopped: () => void;
}

export interface StopOptions {
  /** How long in-flight handlers may run before they are aborted. Default: the function timeout. */
  readonly timeoutSeconds?: number;
  /** Abort in-flight handlers at once; their messages are not deleted. */
  readonly force?: boolean;
}

type State = 'idle' | 'running' | 'stopping';

const BACKOFF_AFTER_TRANSPORT_ERROR_MS = 1_000;

/**
 * The Lambda SQS event source mapping on any transport: long-polling pollers, one batch in flight
 * each, starting at five and scaling with full batches up to `maximumConcurrency`, down on empty
 * receives, and halving on handler errors.
 */
export class Consumer<T = string> extends EventEmitter<ConsumerEvents> {
  readonly queue: Queue<T>;
  readonly options: ResolvedConsumeOptions;
  readonly #process: BatchProcessor<T>;
  readonly #clock: Clock;
  readonly #metrics = new ConsumerMetricsRecorder();
  readonly #invocations = new Set<Invocation>();
  readonly #deadlines: DeadlineWatch;
  readonly #pollers = new Set<Promise<void>>();
  #state: State = 'idle';
  #target = 0;
  #receiveAbort = new AbortController();
  #eventSourceARN: string;

  /** @internal Use `consume()` or `consumeMessages()`. */
  constructor(queue: Queue<T>, process: BatchProcessor<T>, options: ConsumeOptions) {
    super();
    this.queue = queue;
    this.options = resolveConsumeOptions(options, queue.fifo);
    this.#process = process;
    this.#clock = options.clock ?? systemClock;
    this.#eventSourceARN = `arn:aws:sqs:${this.options.region}:000000000000:${queue.name}`;
    this.#deadlines = new DeadlineWatch(this.#clock, (invocation) =>
      invocation.abort(
        new AbortedError(`the handler exceeded functionTimeoutSeconds (${this.options.functionTimeoutSeconds} s)`),
      ),
    );
  }

  get running(): boolean {
    return this.#state === 'running';
  }

  get eventSourceARN(): string {
    return this.#eventSourceARN;
  }

  metrics(): ConsumerMetrics {
    return this.#metrics.snapshot(this.#target);
  }

  /** Checks the queue against the guard rails and starts polling. */
  async start(): Promise<void> {
    if (this.#state !== 'idle') throw new InvalidParameterError('the consumer is already running or stopping');
    const config = await this.queue.config();
    const { functionTimeoutSeconds, maximumBatchingWindowSeconds, heartbeatSeconds } = this.options;
    if (heartbeatSeconds !== undefined) {
      // With a heartbeat the visibility is extended while the handler runs; it must beat in time.
      if (heartbeatSeconds >= config.visibilityTimeoutSeconds) {
        throw new InvalidParameterError(
          `heartbeatSeconds (${heartbeatSeconds}) must be shorter than the queue visibility timeout (${config.visibilityTimeoutSeconds} s)`,
        );
      }
    } else if (config.visibilityTimeoutSeconds < functionTimeoutSeconds) {
      throw new InvalidParameterError(
        `Queue visibility timeout: ${config.visibilityTimeoutSeconds} seconds is less than Function timeout: ${functionTimeoutSeconds} seconds`,
      );
    }
    const advised = 6 * functionTimeoutSeconds + maximumBatchingWindowSeconds;
    if (config.visibilityTimeoutSeconds < advised && heartbeatSeconds === undefined) {
      this.#warn(
        `queue "${this.queue.name}" has a visibility timeout of ${config.visibilityTimeoutSeconds} s; AWS advises at least 6 × the function timeout + the batching window = ${advised} s`,
      );
    }
    this.#state = 'running';
    this.#receiveAbort = new AbortController();
    // One listener per poller and per backoff sleep; up to maximumConcurrency of each.
    setMaxListeners(0, this.#receiveAbort.signal);
    this.#setTarget(Math.min(INITIAL_CONCURRENCY, this.options.maximumConcurrency));
  }

  /**
   * Stops polling, lets in-flight handlers finish (up to `timeoutSeconds`), then aborts the rest
   * without deleting their messages. Messages received but not yet handed to a handler are released
   * at once (visibility 0).
   */
  async stop(options: StopOptions = {}): Promise<void> {
    if (this.#state === 'idle') return;
    this.#state = 'stopping';
    this.#receiveAbort.abort(new AbortedError('the consumer is stopping'));
    if (options.force) this.#abortInvocations();
    else {
      const seconds = options.timeoutSeconds ?? this.options.functionTimeoutSeconds;
      const cancel = this.#clock.setTimer(seconds * 1000, () => this.#abortInvocations());
      await Promise.all([...this.#invocations].map((invocation) => invocation.done));
      cancel();
    }
    await Promise.all([...this.#pollers]);
    this.#deadlines.stop();
    this.#target = 0;
    this.#state = 'idle';
    this.emit('stopped');
  }

  #abortInvocations(): void {
    for (const invocation of this.#invocations) invocation.abort(new AbortedError('the consumer was stopped'));
  }

  /** Deferred a tick, so listeners attached right after `await consume(…)` still hear start-up warnings. */
  #warn(message: string): void {
    setImmediate(() => {
      if (this.listenerCount('warning') > 0) this.emit('warning', message);
      else process.emitWarning(message, 'MsgportWarning');
    });
  }

  #setTarget(target: number): void {
    const next = Math.max(1, Math.min(this.options.maximumConcurrency, target));
    if (next !== this.#target) {
      this.#target = next;
      this.emit('concurrency', next);
    }
    while (this.#state === 'running' && this.#pollers.size < this.#target) this.#spawnPoller();
  }

  #spawnPoller(): void {
    const poller: Promise<void> = this.#poll().finally(() => this.#pollers.delete(poller));
    this.#pollers.add(poller);
  }

  async #poll(): Promise<void> {
    while (this.#state === 'running' && this.#pollers.size <= this.#target) {
      let messages: ReceivedMessage<T>[];
      try {
        messages = await this.#gather();
      } catch (error) {
        if (this.#state !== 'running') return;
        this.emit('transportError', toMsgportError(error));
        await this.#sleep(BACKOFF_AFTER_TRANSPORT_ERROR_MS);
        continue;
      }
      if (messages.length === 0) {
        this.#metrics.emptyReceives++;
        if (this.#target > Math.min(INITIAL_CONCURRENCY, this.options.maximumConcurrency)) {
          this.#setTarget(this.#target - 1);
          return;
        }
        continue;
      }
      if (this.#state !== 'running') {
        await this.#release(messages);
        return;
      }
      if (messages.length >= this.options.batchSize) this.#setTarget(this.#target + 1);
      await this.#invoke(messages);
    }
  }

  /** One batch: a single receive, or receives gathered until the batch is full or the window closes. */
  async #gather(): Promise<ReceivedMessage<T>[]> {
    const { batchSize, maximumBatchingWindowSeconds, waitTimeSeconds } = this.options;
    const signal = this.#receiveAbort.signal;
    if (maximumBatchingWindowSeconds === 0 && batchSize <= 10) {
      const messages = await this.queue.receive({ maxMessages: batchSize, waitTimeSeconds, signal });
      this.#metrics.received += messages.length;
      return messages;
    }
    const deadline = this.#clock.now() + maximumBatchingWindowSeconds * 1000;
    const batch: ReceivedMessage<T>[] = [];
    let bytes = 0;
    while (batch.length < batchSize && bytes < LAMBDA_PAYLOAD_BYTES) {
      const remainingMs = deadline - this.#clock.now();
      if (remainingMs <= 0 && batch.length > 0) break;
      const wait = remainingMs <= 0 ? waitTimeSeconds : Math.min(waitTimeSeconds, Math.ceil(remainingMs / 1000));
      let received: ReceivedMessage<T>[];
      try {
        received = await this.queue.receive({
          maxMessages: Math.min(10, batchSize - batch.length),
          waitTimeSeconds: wait,
          signal,
        });
      } catch (error) {
        if (batch.length > 0) await this.#release(batch);
        throw error;
      }
      this.#metrics.received += received.length;
      for (const message of received) bytes += Buffer.byteLength(message.rawBody);
      batch.push(...received);
      if (received.length === 0 && remainingMs <= 0) break;
    }
    return batch;
  }

  async #invoke(messages: ReceivedMessage<T>[]): Promise<void> {
    const messageIds = messages.map((message) => message.messageId);
    const started = this.#clock.now();
    const invocation = new Invocation(started + this.options.functionTimeoutSeconds * 1000);
    this.#invocations.add(invocation);
    this.#deadlines.add(invocation);
    this.#metrics.startInvocation(messages.length);
    this.emit('batch', { messageIds });
    const stopHeartbeat = this.#startHeartbeat(messages);
    try {
      const context = createLambdaContext({
        functionName: this.options.functionName,
        region: this.options.region,
        deadline: invocation.deadline,
        clock: this.#clock,
        invocation,
      });
      const outcome = await invocation.race(this.#process(messages, context));
      if (invocation.aborted && this.#state !== 'running' && !isTimeout(invocation.reason)) {
        this.#complete(messageIds, 0, messages.length, 'aborted', started);
        return;
      }
      await this.#settle(messages, messageIds, outcome, started);
    } finally {
      stopHeartbeat();
      this.#metrics.endInvocation(this.#clock.now() - started);
      this.#invocations.delete(invocation);
      invocation.finish();
    }
  }

  async #settle(
    messages: ReceivedMessage<T>[],
    messageIds: readonly string[],
    outcome: BatchOutcome,
    started: number,
  ): Promise<void> {
    if (outcome.kind === 'failure') {
      this.#metrics.errors++;
      this.emit('handlerError', outcome.error ?? new Error(outcome.reason), messageIds);
      // Backpressure: a failing function gets less concurrency, as the event source mapping does.
      this.#setTarget(Math.floor(this.#target / 2));
      this.#complete(messageIds, 0, messages.length, 'failure', started);
      return;
    }
    if (outcome.kind === 'success') {
      const deleted = await this.#delete(messages);
      this.#complete(messageIds, deleted, 0, outcome.kind, started);
      return;
    }
    const failedIds = this.queue.fifo ? extendFailuresToGroupTail(outcome.failedIds, messages) : outcome.failedIds;
    this.#metrics.partialFailures += failedIds.size;
    const toDelete = messages.filter((message) => !failedIds.has(message.messageId));
    const deleted = await this.#delete(toDelete);
    this.#complete(messageIds, deleted, failedIds.size, outcome.kind, started);
  }

  #complete(
    messageIds: readonly string[],
    deleted: number,
    failed: number,
    outcome: BatchCompleteEvent['outcome'],
    started: number,
  ): void {
    this.emit('batchComplete', { messageIds, deleted, failed, outcome, durationMs: this.#clock.now() - started });
  }

  async #delete(messages: readonly ReceivedMessage<T>[]): Promise<number> {
    if (messages.length === 0) return 0;
    try {
      const result = await this.queue.deleteBatch(
        messages.map((message, index) => ({ id: deleteEntryId(index), receiptHandle: message.receiptHandle })),
      );
      this.#metrics.deleted += result.successful.length;
      for (const failure of result.failed) {
        this.emit('transportError', new MsgportError(failure.code, `delete failed: ${failure.message}`));
      }
      return result.successful.length;
    } catch (error) {
      this.emit('transportError', toMsgportError(error));
      return 0;
    }
  }

  /** Hands messages back at once (visibility 0): they were received but never given to a handler. */
  async #release(messages: readonly ReceivedMessage<T>[]): Promise<void> {
    try {
      await this.queue.changeVisibilityBatch(
        messages.map((message, index) => ({
          id: `r${index}`,
          receiptHandle: message.receiptHandle,
          visibilityTimeoutSeconds: 0,
        })),
      );
    } catch (error) {
      this.emit('transportError', toMsgportError(error));
    }
  }

  #startHeartbeat(messages: readonly ReceivedMessage<T>[]): () => void {
    const every = this.options.heartbeatSeconds;
    if (every === undefined) return () => {};
    let cancel: (() => void) | undefined;
    let stopped = false;
    const beat = () => {
      cancel = this.#clock.setTimer(every * 1000, async () => {
        if (stopped) return;
        const config = await this.queue.config();
        try {
          await this.queue.changeVisibilityBatch(
            messages.map((message, index) => ({
              id: `h${index}`,
              receiptHandle: message.receiptHandle,
              visibilityTimeoutSeconds: config.visibilityTimeoutSeconds,
            })),
          );
        } catch (error) {
          this.emit('transportError', toMsgportError(error));
        }
        if (!stopped) beat();
      });
    };
    beat();
    return () => {
      stopped = true;
      cancel?.();
    };
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const cancel = this.#clock.setTimer(ms, resolve);
      this.#receiveAbort.signal.addEventListener('abort', () => {
        cancel();
        resolve();
      });
    });
  }
}

// The synchronous Lambda invocation payload limit; the event source mapping invokes before it.
const LAMBDA_PAYLOAD_BYTES = 6 * 1024 * 1024 - 256 * 1024;

// Delete entry ids repeat from batch to batch (at most batchSize of them): built once, not per message.
const deleteEntryIds: string[] = [];

function deleteEntryId(index: number): string {
  for (let i = deleteEntryIds.length; i <= index; i++) deleteEntryIds.push(`d${i}`);
  return deleteEntryIds[index] as string;
}

function isTimeout(reason: unknown): boolean {
  return reason instanceof AbortedError && reason.message.includes('functionTimeoutSeconds');
}

function toMsgportError(error: unknown): MsgportError {
  return isMsgportError(error)
    ? error
    : new MsgportError('Internal', error instanceof Error ? error.message : String(error), { cause: error });
}
