/**
 * Topic cases (group I) that cannot pass on fauxqs 1.9.2, with the reason; also listed in
 * docs/transports/sqs-sns.md. The filter departures are measured by filter-differential.test.ts.
 */
import type { KnownFailure, KnownFailures } from '@msgport/test-support/fauxqs';

const fauxqs = (reason: string): KnownFailure => ({ kind: 'fauxqs', reason });

const TOPIC_DEDUP = fauxqs(
  'FIFO topics do not deduplicate (only the subscribed FIFO queues do): a duplicate publish returns a new MessageId',
);

export const TOPIC_KNOWN_FAILURES: KnownFailures = {
  I56a: fauxqs('no equals-ignore-case, wildcard or anything-but wildcard filter operators'),
  I56b: fauxqs(
    'no cidr operator; String.Array attributes never match per element; "exists": false matches a message without attributes',
  ),
  I56c: fauxqs(
    'Binary attributes take part in filtering: "exists": true matches a Binary attribute (SNS ignores them)',
  ),
  I56d: fauxqs('anything-but with string values never matches a Number attribute'),
  I56e: fauxqs('no cidr operator, so an IPv6 /128 block matches nothing'),
  I57: fauxqs('body filtering ignores arrays in the message body'),
  I59: TOPIC_DEDUP,
  I61: fauxqs('the envelope always carries "Subject": null and "MessageAttributes": {} (SNS omits them when absent)'),
  I69: TOPIC_DEDUP,
};
