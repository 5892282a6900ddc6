import type { DriverMessage } from './driver/driver.js';
import type { DriverCaller } from './driver-call.js';
import { createError, InvalidParameterError } from './errors.js';
import { pendingEventLoopTurn } from './event-loop-turn.js';
import { LIMITS } from './limits.js';
import { prepareSendEntry } from './prepare-entries.js';
import { assertQueueName } from './validation/names.js';
import { optionalFunction, optionalSignal, optionsObject } from './validation/options.js';
import { assertOptionalIntegerInRange } from './validation/ranges.js';

export interface RedriveOptions {
  /** Destination queue; default: the one queue whose dead-letter queue this is. */
  readonly to?: string;
  /** Stop after this many messages; default: until the queue is empty. */
  readonly maxMessages?: number;
  readonly onProgress?: (progress: RedriveProgress) => void;
  readonly signal?: AbortSignal;
}

export interface RedriveProgress {
  readonly from: string;
  readonly to: string;
  readonly moved: number;
}

export interface RedriveResult extends RedriveProgress {
  /**
   * Messages left in `from` when the redrive ended (visible, in flight or delayed; approximate):
   * 0 when it emptied the queue. Messages that could not be received are counted here, such as a
   * FIFO group held by a message in flight elsewhere, instead of being waited for.
   */
  readonly remaining: number;
}

interface ResolvedRedriveOptions {
  readonly to: string | undefined;
  readonly maxMessages: number;
  readonly onProgress: ((progress: RedriveProgress) => void) | undefined;
  readonly signal: AbortSignal | undefined;
}

/** Checks `redrive()`'s options before any I/O. */
export function resolveRedriveOptions(
  from: string,
  options: RedriveOptions | null | undefined,
): ResolvedRedriveOptions {
  const given = optionsObject('redrive options', options);
  if (given.to !== undefined) assertDestination(from, given.to);
  assertOptionalIntegerInRange('redrive maxMessages', given.maxMessages, 1, Number.MAX_SAFE_INTEGER);
  return {
    to: given.to,
    maxMessages: given.maxMessages ?? Number.POSITIVE_INFINITY,
    onProgress: optionalFunction('redrive onProgress', given.onProgress),
    signal: optionalSignal('redrive signal', given.signal),
  };
}

function assertDestination(from: string, to: unknown): asserts to is string {
  assertQueueName(to);
  if (to === from) throw new InvalidParameterError(`redrive cannot move messages from "${from}" to itself`);
}

// A short poll may come back empty while messages remain (SQS samples a subset of its servers):
// this many empty receives in a row end the redrive, and what is left is reported.
const EMPTY_RECEIVES_TO_STOP = 3;

// Long enough to send and delete a batch; if the process dies meanwhile the messages reappear.
const IN_FLIGHT_SECONDS = 60;

async function findSource(caller: DriverCaller, dlq: string): Promise<string> {
  const names = await caller.call('list queues', () => caller.driver.listQueues());
  const sources: string[] = [];
  for (const name of names) {
    const info = await caller.call('get queue', () => caller.driver.getQueue(name)).catch(() => undefined);
    if (info?.config.deadLetter?.queue === dlq) sources.push(name);
  }
  if (sources.length !== 1) {
    throw new InvalidParameterError(
      sources.length === 0
        ? `no queue uses "${dlq}" as its dead-letter queue; pass { to } to choose the destination`
        : `queues ${sources.map((s) => `"${s}"`).join(', ')} all use "${dlq}"; pass { to } to choose one`,
    );
  }
  return sources[0] as string;
}

/** Redrive by receive → send → delete, in receive order, on any transport. Always ends. */
export async function redriveMessages(
  caller: DriverCaller,
  from: string,
  options: ResolvedRedriveOptions,
): Promise<RedriveResult> {
  const { signal } = options;
  const to = options.to ?? (await findSource(caller, from));
  assertDestination(from, to);
  const { driver } = caller;
  const target = (await caller.call('get queue', () => driver.getQueue(to))).config;
  const limit = options.maxMessages;
  let moved = 0;
  let emptyReceives = 0;
  while (moved < limit && emptyReceives < EMPTY_RECEIVES_TO_STOP) {
    await pendingEventLoopTurn();
    const maxMessages = Math.min(LIMITS.receiveMessagesMax, limit - moved);
    const batch: DriverMessage[] = await caller.call(
      'receive for redrive',
      (callSignal) =>
        driver.receive(from, {
          maxMessages,
          waitTimeSeconds: 0,
          visibilityTimeoutSeconds: IN_FLIGHT_SECONDS,
          ...(callSignal ? { signal: callSignal } : {}),
        }),
      { signal, abortable: true },
    );
    if (batch.length === 0) {
      emptyReceives++;
      const stats = (await caller.call('get queue', () => driver.getQueue(from))).stats;
      if (stats.visible === 0) break;
      continue;
    }
    emptyReceives = 0;
    const entries = batch.map((message, index) =>
      prepareSendEntry(
        `r${index}`,
        message.body,
        {
          attributes: message.attributes,
          ...(target.fifo ? { groupId: message.groupId ?? 'redrive', deduplicationId: message.messageId } : {}),
        },
        target,
        LIMITS.delayMaxSeconds,
      ),
    );
    const sent = await caller.call('send for redrive', () => driver.sendBatch(to, entries));
    const done = new Set(sent.successful.map((entry) => entry.id));
    const receipts = batch
      .map((message, index) => ({ id: `r${index}`, receiptHandle: message.receiptHandle }))
      .filter((entry) => done.has(entry.id));
    if (receipts.length > 0) await caller.call('delete for redrive', () => driver.deleteBatch(from, receipts));
    moved += receipts.length;
    options.onProgress?.({ from, to, moved });
    const failure = sent.failed[0];
    if (failure) {
      throw createError(
        failure.code,
        `redrive from "${from}" to "${to}" stopped after ${moved} messages: ${failure.message}`,
        { transport: driver.transport },
      );
    }
  }
  const left = (await caller.call('get queue', () => driver.getQueue(from))).stats;
  return { from, to, moved, remaining: left.visible + left.inFlight + left.delayed };
}
