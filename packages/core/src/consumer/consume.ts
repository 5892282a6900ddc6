import type { Queue } from '../queue.js';
import type { ReceivedMessage } from '../received-message.js';
import { type Destination, traceProcess } from '../tracing/messaging-spans.js';
import { tracingApi } from '../tracing/otel-api.js';
import { type BatchOutcome, type ItemFailure, interpretBatchResponse } from './batch-response.js';
import type { ConsumeOptions } from './consume-options.js';
import { Consumer } from './consumer.js';
import type { LambdaContext, SQSBatchResponse, SQSHandler } from './lambda-types.js';
import { toSqsEvent } from './sqs-event.js';

/**
 * Runs a Lambda SQS handler against a queue of any transport, with the event source mapping's
 * batching, scaling and outcome rules. Resolves once the guard rails pass and polling has started.
 */
export async function consume<T>(
  queue: Queue<T>,
  handler: SQSHandler,
  options: ConsumeOptions = {},
): Promise<Consumer<T>> {
  let consumer: Consumer<T> | undefined;
  const destination = destinationOf(queue);
  const run = async (messages: readonly ReceivedMessage<T>[], context: LambdaContext): Promise<BatchOutcome> => {
    const active = consumer as Consumer<T>;
    const event = toSqsEvent(messages, active.eventSourceARN, active.options.region);
    const response = await invokeHandler(handler, event, context);
    const { reportBatchItemFailures } = active.options;
    // The ids matter only for a partial batch response; most batches answer nothing.
    if (!reportBatchItemFailures || response === undefined || response === null) return SUCCESS;
    return interpretBatchResponse(
      response,
      messages.map((message) => message.messageId),
      reportBatchItemFailures,
    );
  };
  // Without a recording tracer the batch runs directly: no span, and no closures per batch.
  const process = (messages: readonly ReceivedMessage<T>[], context: LambdaContext): Promise<BatchOutcome> =>
    tracingApi()
      ? traceProcess(
          destination,
          messages,
          () => context.signal,
          () => run(messages, context),
          failureOf,
        )
      : run(messages, context);
  consumer = new Consumer(queue, process, options);
  await consumer.start();
  return consumer;
}

/** The third argument of a handler that declares no callback parameter: calling it anyway is a mistake worth seeing. */
const ignoredCallback = () => {
  throw new Error(
    'the handler called its callback without declaring it: declare (event, context, callback) or return a promise',
  );
};

function failureOf(outcome: BatchOutcome): unknown {
  return outcome.kind === 'failure' ? (outcome.error ?? new Error(outcome.reason)) : undefined;
}

const SUCCESS: BatchOutcome = Object.freeze({ kind: 'success' });

function destinationOf(queue: Queue<unknown>): Destination {
  return { name: queue.name, transport: queue.transport, kind: 'queue' };
}

/** Supports both promise-returning and callback-style Lambda handlers. */
function invokeHandler(
  handler: SQSHandler,
  event: Parameters<SQSHandler>[0],
  context: LambdaContext,
): Promise<unknown> {
  // An async handler that takes no callback needs no wrapping promise: its own is the answer.
  if (handler.length < 3) {
    try {
      const returned = handler(event, context, ignoredCallback);
      return returned && typeof (returned as Promise<unknown>).then === 'function'
        ? (returned as Promise<unknown>)
        : Promise.resolve(returned);
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return new Promise((resolve, reject) => {
    // biome-ignore lint/suspicious/noConfusingVoidType: the Lambda callback's result type.
    const callback = (error?: Error | string | null, result?: SQSBatchResponse | void) => {
      if (error) reject(typeof error === 'string' ? new Error(error) : error);
      else resolve(result);
    };
    try {
      const returned = handler(event, context, callback);
      if (returned && typeof (returned as Promise<unknown>).then === 'function')
        (returned as Promise<unknown>).then(resolve, reject);
    } catch (error) {
      reject(error);
    }
  });
}

export interface MessageContext {
  readonly signal: AbortSignal;
  readonly lambda: LambdaContext;
}

export type MessageHandler<T> = (message: ReceivedMessage<T>, context: MessageContext) => Promise<void>;

/**
 * A per-message handler on top of the batch runtime: messages of a standard queue run concurrently;
 * FIFO groups run in order, and a failure returns the rest of that group's batch unprocessed.
 * A thrown error fails only its message (partial batch response semantics).
 */
export async function consumeMessages<T>(
  queue: Queue<T>,
  handler: MessageHandler<T>,
  options: ConsumeOptions = {},
): Promise<Consumer<T>> {
  const destination = destinationOf(queue);
  const process = async (messages: readonly ReceivedMessage<T>[], lambda: LambdaContext): Promise<BatchOutcome> => {
    const context: MessageContext = { signal: lambda.signal, lambda };
    const failed = new Set<string>();
    const errors: ItemFailure[] = [];
    const run = (message: ReceivedMessage<T>) =>
      traceProcess(
        destination,
        [message],
        () => lambda.signal,
        () => handler(message, context),
      );
    if (queue.fifo) {
      const groups = new Map<string, ReceivedMessage<T>[]>();
      for (const message of messages) {
        const key = message.groupId ?? '';
        const group = groups.get(key);
        if (group) group.push(message);
        else groups.set(key, [message]);
      }
      await Promise.all(
        [...groups.values()].map(async (group) => {
          for (const [index, message] of group.entries()) {
            try {
              await run(message);
            } catch (error) {
              // The rest of the group is returned unprocessed, so the group's order holds on retry.
              const rest = group.slice(index).map((m) => m.messageId);
              for (const id of rest) failed.add(id);
              errors.push({ error, messageIds: rest });
              return;
            }
          }
        }),
      );
    } else {
      const results = await Promise.allSettled(messages.map(run));
      for (let i = 0; i < results.length; i++) {
        const result = results[i] as PromiseSettledResult<void>;
        if (result.status === 'fulfilled') continue;
        const id = (messages[i] as ReceivedMessage<T>).messageId;
        failed.add(id);
        errors.push({ error: result.reason, messageIds: [id] });
      }
    }
    return failed.size === 0 ? SUCCESS : { kind: 'partial', failedIds: failed, errors };
  };
  const consumer = new Consumer(queue, process, { ...options, functionResponseTypes: ['ReportBatchItemFailures'] });
  await consumer.start();
  return consumer;
}
