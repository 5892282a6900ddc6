import type { SQSClient } from '@aws-sdk/client-sqs';

type Output = Record<string, unknown>;

/**
 * Adds a middleware that rewrites the deserialized output of one SQS operation, to simulate a
 * response damaged on the way (MD5 checks). Returns a switch to turn it off.
 */
export function tamperWith(client: SQSClient, operation: string, change: (output: Output) => void): () => void {
  let active = true;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (active && context.commandName === `${operation}Command`) change(result.output as unknown as Output);
      return result;
    },
    { step: 'initialize', name: `tamper${operation}`, override: true },
  );
  return () => {
    active = false;
  };
}
