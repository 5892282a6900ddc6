import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { createLambdaContext } from '../../src/consumer/lambda-context.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function contextOf(signalReads: { count: number }, clock = new ManualClock(), deadline = clock.now() + 5_000) {
  const controller = new AbortController();
  const invocation = {
    get signal() {
      signalReads.count++;
      return controller.signal;
    },
  };
  return createLambdaContext({ functionName: 'fn', region: 'eu-west-1', deadline, clock, invocation });
}

describe('the Lambda context of an invocation', () => {
  it("has Lambda's fields as own enumerable properties, in Lambda's order", () => {
    const context = contextOf({ count: 0 });
    expect(Object.keys(context)).toEqual([
      'callbackWaitsForEmptyEventLoop',
      'functionName',
      'functionVersion',
      'invokedFunctionArn',
      'memoryLimitInMB',
      'awsRequestId',
      'logGroupName',
      'logStreamName',
      'getRemainingTimeInMillis',
      'done',
      'fail',
      'succeed',
      'signal',
    ]);
    expect(context.invokedFunctionArn).toBe('arn:aws:lambda:eu-west-1:000000000000:function:fn');
    expect(context.logGroupName).toBe('/aws/lambda/fn');
  });

  it('makes the request id on first read, the same on every read and different per invocation', () => {
    const first = contextOf({ count: 0 });
    const second = contextOf({ count: 0 });
    expect(first.awsRequestId).toMatch(UUID);
    expect(first.awsRequestId).toBe(first.awsRequestId);
    expect(second.awsRequestId).not.toBe(first.awsRequestId);
  });

  it("reads the invocation's signal only when the handler does", () => {
    const reads = { count: 0 };
    const context = contextOf(reads);
    expect(reads.count).toBe(0);
    expect(context.signal.aborted).toBe(false);
    expect(reads.count).toBe(1);
  });

  it('counts the remaining time on its clock and refuses the callback-era methods', () => {
    const clock = new ManualClock();
    const context = contextOf({ count: 0 }, clock, clock.now() + 3_000);
    expect(context.getRemainingTimeInMillis()).toBe(3_000);
    expect(() => context.done()).toThrow(/not supported/);
    expect(() => context.succeed('ok')).toThrow(/not supported/);
  });
});
