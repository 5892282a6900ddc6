import type { Clock } from '../clock.js';
import { isMsgportError, MsgportError, TimeoutError } from '../errors.js';
import type { Queue } from '../queue.js';
import type { ReceivedMessage } from '../received-message.js';
import { type BatchOutcome, extendFailuresToGroupTail } from './batch-response.js';
import type { ResolvedConsumeOptions } from './consume-options.js';
import type { BatchCompleteEvent } from './consumer-events.js';
import type { ConsumerMetricsRecorder } from './consumer-metrics.js';
import type { ConsumerReporter } from './consumer-reporter.js';
import type { DeadlineWatch } from './deadline-watch.js';
import { Heartbeat } from './heartbeat.js';
import { Invocation } from './invocation.js';
import { createLambdaContext } from './lambda-context.js';
import type { LambdaContext } from './lambda-types.js';
import type { PollerSlot, ScalingController } from './scaling-controller.js';

/** Runs one batch and says what became of it; built by `consume` (Lambda handlers) or `consumeMessages`. */
export type BatchProcessor<T> = (
  messages: readonly ReceivedMessage<T>[],
  context: LambdaContext,
) => Promise<BatchOutcome>;

export interface InvokerParts<T> {
  readonly queue: Queue<T>;
  readonly options: ResolvedConsumeOptions;
  readonly clock: Clock;
  readonly process: BatchProcessor<T>;
  readonly metrics: ConsumerMetricsRecorder;
  readonly reporter: ConsumerReporter;
  readonly deadlines: DeadlineWatch;
  /** Every invocation in flight, so a forced stop can abort them. */
  readonly invocations: Set<Invocation>;
  readonly controller: () => ScalingController;
  /** What a heartbeat extends visibility to (the queue's visibility timeout), when heartbeats are on. */
  readonly heartbeatVisibility: () => number | undefined;
}

/**
 * One batch from handler to settlement, with the event source mapping's outcome rules: success
 * deletes the batch, a partial response deletes all but the failed ids, a whole-batch failure
 * (thrown, timed out, invalid answer) deletes nothing and halves the concurrency, and a batch
 * aborted by a forced stop deletes nothing. Never throws: transport failures are reported.
 */
export class BatchInvoker<T> {
  readonly #parts: InvokerParts<T>;

  constructor(parts: InvokerParts<T>) {
    this.#parts = parts;
  }

  async invoke(slot: PollerSlot, messages: ReceivedMessage<T>[]): Promise<void> {
    const { clock, options, metrics, reporter } = this.#parts;
    const started = clock.now();
    const invocation = new Invocation(started + options.functionTimeoutSeconds * 1000);
    this.#parts.invocations.add(invocation);
    this.#parts.deadlines.add(invocation);
    metrics.startInvocation(messages.length);
    if (reporter.listens('batch')) reporter.emit('batch', { messageIds: idsOf(messages) });
    const visibility = this.#parts.heartbeatVisibility();
    const heartbeat =
      visibility === undefined || options.heartbeatSeconds === undefined
        ? undefined
        : new Heartbeat(this.#parts.queue as Queue<unknown>, messages, {
            everySeconds: options.heartbeatSeconds,
            visibilityTimeoutSeconds: visibility,
            clock,
            onError: (error) => reporter.transportError('heartbeat', error),
          });
    try {
      const context = createLambdaContext({
        functionName: options.functionName,
        region: options.region,
        deadline: invocation.deadline,
        clock,
        invocation,
      });
      const outcome = await invocation.race(this.#parts.process(messages, context));
      if (heartbeat) await heartbeat.stop();
      if (invocation.aborted && !(invocation.reason instanceof TimeoutError)) {
        // A forced stop: the handler may still be running, so its messages are neither deleted nor released.
        this.#complete(messages, 0, messages.length, 'aborted', started);
        return;
      }
      await this.#settle(slot, messages, outcome, started);
    } finally {
      if (heartbeat) await heartbeat.stop();
      metrics.endInvocation(clock.now() - started);
      this.#parts.invocations.delete(invocation);
      invocation.finish();
    }
  }

  /** Hands messages back at once (visibility 0): they were received but never given to a handler. */
  async release(messages: readonly ReceivedMessage<T>[]): Promise<void> {
    try {
      const result = await this.#parts.queue.changeVisibilityBatch(
        messages.map((message, index) => ({
          id: `r${index}`,
          receiptHandle: message.receiptHandle,
          visibilityTimeoutSeconds: 0,
        })),
      );
      for (const failure of result.failed) {
        this.#parts.reporter.transportError('release', new MsgportError(failure.code, failure.message));
      }
    } catch (error) {
      this.#parts.reporter.transportError('release', toMsgportError(error));
    }
  }

  async #settle(slot: PollerSlot, messages: ReceivedMessage<T>[], outcome: BatchOutcome, started: number) {
    const { metrics, reporter } = this.#parts;
    if (outcome.kind === 'failure') {
      metrics.errors++;
      reporter.handlerError(outcome.error ?? new Error(outcome.reason), idsOf(messages));
      // Backpressure: a failing function gets less concurrency, as the event source mapping does.
      this.#parts.controller().batchFailed(slot);
      this.#complete(messages, 0, messages.length, 'failure', started);
      return;
    }
    if (outcome.kind === 'success') {
      const deleted = await this.#delete(messages);
      this.#parts.controller().succeeded();
      this.#complete(messages, deleted, 0, 'success', started);
      return;
    }
    const failedIds = this.#parts.queue.fifo
      ? extendFailuresToGroupTail(outcome.failedIds, messages)
      : outcome.failedIds;
    metrics.partialFailures += failedIds.size;
    this.#reportItemFailures(outcome, failedIds, messages.length);
    const deleted = await this.#delete(messages.filter((message) => !failedIds.has(message.messageId)));
    this.#parts.controller().succeeded();
    this.#complete(messages, deleted, failedIds.size, 'partial', started);
  }

  #reportItemFailures(
    outcome: Extract<BatchOutcome, { kind: 'partial' }>,
    failedIds: ReadonlySet<string>,
    batchSize: number,
  ): void {
    const { reporter } = this.#parts;
    if (outcome.errors && outcome.errors.length > 0) {
      for (const failure of outcome.errors) reporter.handlerError(failure.error, failure.messageIds);
      return;
    }
    reporter.handlerError(
      new Error(`the handler reported ${failedIds.size} of ${batchSize} messages as failed (batchItemFailures)`),
      [...failedIds],
    );
  }

  #complete(
    messages: readonly ReceivedMessage<T>[],
    deleted: number,
    failed: number,
    outcome: BatchCompleteEvent['outcome'],
    started: number,
  ): void {
    const { reporter, clock } = this.#parts;
    if (!reporter.listens('batchComplete')) return;
    const durationMs = clock.now() - started;
    reporter.emit('batchComplete', { messageIds: idsOf(messages), deleted, failed, outcome, durationMs });
  }

  async #delete(messages: readonly ReceivedMessage<T>[]): Promise<number> {
    if (messages.length === 0) return 0;
    const { metrics, reporter, queue } = this.#parts;
    try {
      const result = await queue.deleteBatch(
        messages.map((message, index) => ({ id: deleteEntryId(index), receiptHandle: message.receiptHandle })),
      );
      metrics.deleted += result.successful.length;
      for (const failure of result.failed) {
        reporter.transportError('delete', new MsgportError(failure.code, `delete failed: ${failure.message}`));
      }
      return result.successful.length;
    } catch (error) {
      reporter.transportError('delete', toMsgportError(error));
      return 0;
    }
  }
}

function idsOf(messages: readonly ReceivedMessage<unknown>[]): string[] {
  const ids = new Array<string>(messages.length);
  for (let i = 0; i < messages.length; i++) ids[i] = (messages[i] as ReceivedMessage<unknown>).messageId;
  return ids;
}

// Delete entry ids repeat from batch to batch (at most batchSize of them): built once, not per message.
const deleteEntryIds: string[] = [];

function deleteEntryId(index: number): string {
  for (let i = deleteEntryIds.length; i <= index; i++) deleteEntryIds.push(`d${i}`);
  return deleteEntryIds[index] as string;
}

export function toMsgportError(error: unknown): MsgportError {
  return isMsgportError(error)
    ? error
    : new MsgportError('Internal', error instanceof Error ? error.message : String(error), { cause: error });
}
