/**
 * The sns tests run through the sqs:// transport: importing this package's sources registers sqs://
 * (from @msgport/sqs) with SNS topics (a package cannot import itself by name from its own tests).
 */
import { type Broker, connect } from '@msgport/core';
import '../../src/index.js';
import { createSqsClient, parseSqsUrl } from '@msgport/sqs';
import { type ConformanceTarget, FAUXQS, fauxqsUrl, withAwsRules } from '@msgport/test-support/fauxqs';

export { SqsDriver } from '@msgport/sqs';
export { fauxqsEndpoint, fauxqsUrl, noFauxqs, REGION, uniqueName } from '@msgport/test-support/fauxqs';
export type { SnsNative as SqsNative } from '../../src/index.js';

/** An sqs:// broker on fauxqs whose SQS client adds the AWS rules fauxqs lacks (`withAwsRules`). */
export function connectFauxqs(): Promise<Broker> {
  return connect(fauxqsUrl(), {
    transportOptions: { sqsClient: withAwsRules(createSqsClient(parseSqsUrl(fauxqsUrl()))) },
  });
}

/** fauxqs 1.9.2, through `connectFauxqs`. */
export const FAUXQS_TARGET: ConformanceTarget = { ...FAUXQS, connect: connectFauxqs };
