import { isMsgportError, type Queue, type ReceivedMessage } from '@msgport/core';
import { inject } from 'vitest';

/** The reason RabbitMQ tests cannot run here (empty when they can); part of every skipped title. */
export const unavailable = inject('rabbitmqUnavailable');
export const skipTitle = (title: string) => (unavailable ? `${title} [skipped: ${unavailable}]` : title);

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Receives until `count` messages arrived or `timeoutMs` passed (long polls of 1 s). */
export async function receiveCount<T>(
  queue: Queue<T>,
  count: number,
  options: { timeoutMs?: number; visibilityTimeoutSeconds?: number; del?: boolean } = {},
): Promise<ReceivedMessage<T>[]> {
  const out: ReceivedMessage<T>[] = [];
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  while (out.length < count && Date.now() < deadline) {
    const batch = await queue.receive({
      maxMessages: Math.min(10, count - out.length),
      waitTimeSeconds: 1,
      ...(options.visibilityTimeoutSeconds !== undefined
        ? { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds }
        : {}),
    });
    out.push(...batch);
    if (options.del && batch.length > 0) {
      await queue.deleteBatch(batch.map((m, i) => ({ id: `d${i}`, receiptHandle: m.receiptHandle })));
    }
  }
  return out;
}

/** The error code an action failed with, or `ok`. */
export async function codeOf(action: Promise<unknown>): Promise<string> {
  try {
    await action;
    return 'ok';
  } catch (error) {
    return isMsgportError(error) ? error.code : String(error);
  }
}
