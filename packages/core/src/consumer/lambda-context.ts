import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { LambdaContext } from './lambda-types.js';

export interface ContextInput {
  readonly functionName: string;
  readonly region: string;
  readonly deadline: number;
  readonly clock: Clock;
  /** Read lazily: the signal is created only if the handler asks for it. */
  readonly invocation: { readonly signal: AbortSignal };
}

/** A Lambda-shaped context for one invocation. */
export function createLambdaContext(input: ContextInput): LambdaContext {
  const { deadline, invocation } = input;
  let requestId: string | undefined;
  const unsupported = (name: string) => () => {
    throw new Error(`context.${name}() is not supported: return (or resolve) the batch response instead`);
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: input.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${input.region}:000000000000:function:${input.functionName}`,
    memoryLimitInMB: '0',
    get awsRequestId() {
      requestId ??= randomUUID();
      return requestId;
    },
    logGroupName: `/aws/lambda/${input.functionName}`,
    logStreamName: 'msgport',
    getRemainingTimeInMillis: () => Math.max(0, deadline - input.clock.now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
    get signal() {
      return invocation.signal;
    },
  };
}
