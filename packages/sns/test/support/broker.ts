/**
 * The sns tests run through the sqs:// transport (topics deliver to its queues). `@msgport/sqs` is not
 * a dependency of this package, so its sources are imported by path; importing them registers sqs://.
 */
import { type Broker, connect } from '@msgport/core';
import '../../../sqs/src/index.js';
import { fauxqsUrl } from '../../../sqs/test/support/fauxqs.js';

export { SqsDriver, type SqsNative } from '../../../sqs/src/index.js';
export { fauxqsEndpoint, fauxqsUrl, noFauxqs, REGION, uniqueName } from '../../../sqs/test/support/fauxqs.js';

export function connectFauxqs(): Promise<Broker> {
  return connect(fauxqsUrl());
}
