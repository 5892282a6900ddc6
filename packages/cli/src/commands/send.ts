import type { MessageAttributeInput } from '@msgport/core';
import { openBroker } from '../broker-url.js';
import { type CommandContext, writeLine } from '../context.js';

export interface SendCommandOptions {
  readonly queue: string;
  readonly attr?: Record<string, MessageAttributeInput>;
  readonly group?: string;
  readonly dedup?: string;
  readonly delay?: number;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** `msgport send <url> --queue q <body>`; a body of `-` is read from stdin. Prints the message id. */
export async function send(url: string, body: string, options: SendCommandOptions, context: CommandContext) {
  const text = body === '-' ? await readAll(context.io.stdin) : body;
  const broker = await openBroker(url);
  try {
    const result = await broker.queue(options.queue).send(text, {
      ...(options.attr ? { attributes: options.attr } : {}),
      ...(options.group !== undefined ? { groupId: options.group } : {}),
      ...(options.dedup !== undefined ? { deduplicationId: options.dedup } : {}),
      ...(options.delay !== undefined ? { delaySeconds: options.delay } : {}),
    });
    writeLine(context.io.stdout, result.messageId);
  } finally {
    await broker.close();
  }
}
