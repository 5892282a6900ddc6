import type { DriverMessage } from './driver/driver.js';
import type { DriverCaller } from './driver-call.js';
import { createError, InvalidParameterError } from './errors.js';
import { LIMITS } from './limits.js';
import { prepareSendEntry } from './prepare-entries.js';
import { assertQueueName } from './validation/names.js';

export interface RedriveOptions {
  /** Destination queue; default: the one queue whose dead-letter queue this is. */
  readonly to?: string;
  /** Stop after this many messages; default: until the queue is empty. */
  readonly maxMessages?: number;
  readonly onProgress?: (progress: RedriveResult) => void;
  readonly signal?: AbortSignal;
}

export interface RedriveResult {
  readonly from: string;
  readonly to: string;
  readonly moved: number;
}

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

/** Redrive by receive → send → delete, in receive order, on any transport. */
export async function redriveMessages(
  caller: DriverCaller,
  from: string,
  options: RedriveOptions,
): Promise<RedriveResult> {
  const to = options.to ?? (await findSource(caller, from));
  assertQueueName(to);
  const { driver } = caller;
  const target = (await caller.call('get queue', () => driver.getQueue(to))).config;
  const limit = options.maxMessages ?? Number.POSITIVE_INFINITY;
  let moved = 0;
  while (moved < limit) {
    const maxMessages = Math.min(LIMITS.receiveMessagesMax, limit - moved);
    const batch: DriverMessage[] = await caller.call(
      'receive for redrive',
      () => driver.receive(from, { maxMessages, waitTimeSeconds: 0, visibilityTimeoutSeconds: IN_FLIGHT_SECONDS }),
      options.signal,
    );
    if (batch.length === 0) {
      const stats = (await caller.call('get queue', () => driver.getQueue(from))).stats;
      if (stats.visible === 0) break;
      continue;
    }
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
        {
          transport: driver.transport,
        },
      );
    }
  }
  return { from, to, moved };
}
