// Registers sqs:// for connect() (a package cannot import itself by name from its own tests).
import { type Broker, type ConnectOptions, connect } from '@msgport/core';
import {
  type ConformanceTarget,
  FAUXQS,
  fauxqsUrl,
  conformanceOptions as optionsOn,
  withAwsRules,
} from '@msgport/test-support/fauxqs';
import { createSqsClient, parseSqsUrl, sqsCapabilities } from '../../src/index.js';

export {
  type ConformanceTarget,
  fauxqsEndpoint,
  fauxqsUrl,
  type KnownFailure,
  type KnownFailures,
  noFauxqs,
  REGION,
  uniqueName,
  withKnownFailures,
} from '@msgport/test-support/fauxqs';

/** An SQS client for the emulator with the AWS rules fauxqs lacks (purge interval, visibility, long polls). */
export function fauxqsClient(): ReturnType<typeof createSqsClient> {
  return withAwsRules(createSqsClient(parseSqsUrl(fauxqsUrl())));
}

/** `connect(fauxqsUrl())` on a `fauxqsClient()`. */
export function connectFauxqs(options: ConnectOptions = {}): Promise<Broker> {
  return connect(fauxqsUrl(), {
    ...options,
    transportOptions: { ...options.transportOptions, sqsClient: fauxqsClient() },
  });
}

/** fauxqs 1.9.2, through `connectFauxqs`. */
export const FAUXQS_TARGET: ConformanceTarget = { ...FAUXQS, connect: () => connectFauxqs() };

/** The conformance options of a queue-only sqs:// broker on `target` (topics: packages/sns). */
export function conformanceOptions(target: ConformanceTarget, options: Parameters<typeof optionsOn>[2]) {
  return optionsOn(target, sqsCapabilities(false), options);
}
