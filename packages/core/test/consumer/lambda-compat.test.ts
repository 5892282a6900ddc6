import type * as AwsLambda from 'aws-lambda';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  LambdaContext,
  SQSBatchResponse,
  SQSEvent,
  SQSHandler,
  SQSRecord,
} from '../../src/consumer/lambda-types.js';

describe('Lambda type compatibility', () => {
  it('our event and response types are interchangeable with @types/aws-lambda', () => {
    expectTypeOf<SQSEvent>().toExtend<AwsLambda.SQSEvent>();
    expectTypeOf<AwsLambda.SQSEvent>().toExtend<SQSEvent>();
    expectTypeOf<SQSRecord>().toExtend<AwsLambda.SQSRecord>();
    expectTypeOf<AwsLambda.SQSBatchResponse>().toExtend<SQSBatchResponse>();
    expectTypeOf<LambdaContext>().toExtend<AwsLambda.Context>();
  });

  it('a handler typed for Lambda is accepted by consume()', () => {
    const lambdaHandler: AwsLambda.SQSHandler = async (event) => ({
      batchItemFailures: event.Records.filter((r) => r.body === 'bad').map((r) => ({ itemIdentifier: r.messageId })),
    });
    const ours: SQSHandler = lambdaHandler;
    expect(typeof ours).toBe('function');
  });
});
