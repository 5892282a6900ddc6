import { createHash } from 'node:crypto';

/** Header on topic deliveries: one publish reaches several queues, each copy gets its own message id. */
export const FANOUT_HEADER = 'x-mq-fanout';

/**
 * The message id of a topic delivery in one queue: a UUID-shaped digest of the publish's message id and
 * the queue, so it is stable across redeliveries and differs between subscribed queues (as on SNS→SQS).
 */
export function fanoutMessageId(publishId: string, brokerQueue: string): string {
  const hex = createHash('sha256').update(`${publishId}\u0000${brokerQueue}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
