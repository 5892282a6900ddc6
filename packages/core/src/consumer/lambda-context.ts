import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { localArn } from '../driver/kit/local-arns.js';
import type { LambdaContext } from './lambda-types.js';

export interface ContextInput {
  readonly functionName: string;
  readonly region: string;
  readonly deadline: number;
  readonly clock: Clock;
  /** Read lazily: the signal is created only if the handler asks for it. */
  readonly invocation: { readonly signal: AbortSignal };
}

const unsupported = (name: string) => () => {
  throw new Error(`context.${name}() is not supported: return (or resolve) the batch response instead`);
};
const done = unsupported('done');
const fail = unsupported('fail');
const succeed = unsupported('succeed');

/** The names derived from the function's name and region, built once per consumer rather than per batch. */
let names = { functionName: '', region: '', arn: '', logGroupName: '' };

function namesOf(functionName: string, region: string): typeof names {
  if (names.functionName !== functionName || names.region !== region) {
    names = {
      functionName,
      region,
      arn: localArn('lambda', region, `function:${functionName}`),
      logGroupName: `/aws/lambda/${functionName}`,
    };
  }
  return names;
}

let requestIdProperty: PropertyDescriptor;
let signalProperty: PropertyDescriptor;

/**
 * A Lambda-shaped context: own enumerable properties in Lambda's order, `awsRequestId` and `signal`
 * made on first read. Built by a constructor with getters from shared descriptors — an object
 * literal with getters is created on V8's slow path, several microseconds per batch.
 */
class InvocationContext {
  readonly #invocation: { readonly signal: AbortSignal };
  #requestId: string | undefined;

  static {
    requestIdProperty = {
      get(this: InvocationContext): string {
        this.#requestId ??= randomUUID();
        return this.#requestId;
      },
      enumerable: true,
      configurable: true,
    };
    signalProperty = {
      get(this: InvocationContext): AbortSignal {
        return this.#invocation.signal;
      },
      enumerable: true,
      configurable: true,
    };
  }

  constructor(input: ContextInput) {
    const { deadline, clock, functionName } = input;
    const derived = namesOf(functionName, input.region);
    this.#invocation = input.invocation;
    const self = this as unknown as Record<string, unknown>;
    self.callbackWaitsForEmptyEventLoop = false;
    self.functionName = functionName;
    self.functionVersion = '$LATEST';
    self.invokedFunctionArn = derived.arn;
    self.memoryLimitInMB = '0';
    Object.defineProperty(this, 'awsRequestId', requestIdProperty);
    self.logGroupName = derived.logGroupName;
    self.logStreamName = 'msgport';
    self.getRemainingTimeInMillis = () => Math.max(0, deadline - clock.now());
    self.done = done;
    self.fail = fail;
    self.succeed = succeed;
    Object.defineProperty(this, 'signal', signalProperty);
  }
}

/** A Lambda-shaped context for one invocation. */
export function createLambdaContext(input: ContextInput): LambdaContext {
  return new InvocationContext(input) as unknown as LambdaContext;
}
