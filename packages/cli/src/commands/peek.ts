import { LIMITS, type ReceivedMessage } from '@msgport/core';
import { attributesToJson } from '../attributes.js';
import { openBroker } from '../broker-url.js';
import { type CommandContext, writeLine } from '../context.js';

/** A message as `peek` shows it (and the console's DLQ browser). */
export interface PeekedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Record<string, { type: string; value: string }>;
  /** Counting this peek: peeking is a receive. */
  readonly receiveCount: number;
  readonly sentAt: string;
  readonly groupId: string | null;
}

/**
 * Up to `count` (1–10) messages from one receive with a visibility timeout of 0, so they stay
 * available. A receive is a receive: every transport counts it (the receive count of each message
 * shown rises by one), and on a queue with a redrive policy a message received more than
 * maxReceiveCount times moves to the dead-letter queue, so peeking a source queue can dead-letter
 * messages. Peeking a dead-letter queue (which has no redrive policy of its own) is harmless. One
 * receive per peek keeps the rise at exactly one; on SQS a short receive samples some servers,
 * so a page may show fewer messages than the queue holds.
 */
export async function peekMessages(
  queue: { receive(options: object): Promise<ReceivedMessage[]> },
  count: number,
): Promise<PeekedMessage[]> {
  const batch = await queue.receive({
    maxMessages: Math.min(count, LIMITS.receiveMessagesMax),
    waitTimeSeconds: 0,
    visibilityTimeoutSeconds: 0,
  });
  return batch.map((message) => ({
    messageId: message.messageId,
    body: message.rawBody,
    attributes: attributesToJson(message.attributes),
    receiveCount: message.receiveCount,
    sentAt: new Date(message.sentTimestamp).toISOString(),
    groupId: message.groupId ?? null,
  }));
}

export interface PeekOptions {
  readonly queue: string;
  readonly count: number;
  readonly json?: boolean;
}

export async function peek(url: string, options: PeekOptions, context: CommandContext): Promise<void> {
  const broker = await openBroker(url);
  try {
    const messages = await peekMessages(broker.queue(options.queue), options.count);
    const { stdout } = context.io;
    if (options.json) return writeLine(stdout, JSON.stringify(messages, null, 2));
    if (messages.length === 0) return writeLine(stdout, `no visible messages in "${options.queue}"`);
    for (const message of messages) {
      writeLine(stdout, `── ${message.messageId}  sent ${message.sentAt}  received ${message.receiveCount}×`);
      if (message.groupId !== null) writeLine(stdout, `   group: ${message.groupId}`);
      for (const [name, attribute] of Object.entries(message.attributes)) {
        writeLine(stdout, `   ${name} (${attribute.type}): ${attribute.value}`);
      }
      writeLine(stdout, message.body);
    }
    writeLine(stdout, `(${messages.length} peeked; each receive count rose by one)`);
  } finally {
    await broker.close();
  }
}
