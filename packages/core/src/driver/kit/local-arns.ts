import { randomUUID } from 'node:crypto';

/** The account id in the ARNs of transports that are not AWS (the one AWS's own emulators use). */
export const LOCAL_ACCOUNT_ID = '000000000000';
/** The region in local topic ARNs. */
export const LOCAL_REGION = 'local';

/** `arn:aws:<service>:<region>:000000000000:<resource>`: an ARN shaped as AWS shapes them, for a local resource. */
export function localArn(service: string, region: string, resource: string): string {
  return `arn:aws:${service}:${region}:${LOCAL_ACCOUNT_ID}:${resource}`;
}

/** The TopicArn of the SNS envelope a local transport delivers. */
export function localTopicArn(topic: string): string {
  return localArn('sns', LOCAL_REGION, topic);
}

/** A queue's ARN, as the Lambda event source mapping names it in `eventSourceARN`. */
export function localQueueArn(queue: string, region: string = LOCAL_REGION): string {
  return localArn('sqs', region, queue);
}

const TOPIC_ARN_PREFIX = localTopicArn('');
const UUID_TAIL = /:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A new subscription id shaped as SNS's subscription ARNs: `<topic ARN>:<uuid>`. */
export function newSubscriptionArn(topic: string): string {
  return `${localTopicArn(topic)}:${randomUUID()}`;
}

/** The topic a subscription id of `newSubscriptionArn` belongs to; `undefined` for any other string. */
export function topicOfSubscriptionArn(subscriptionArn: string): string | undefined {
  if (!subscriptionArn.startsWith(TOPIC_ARN_PREFIX)) return undefined;
  const tail = UUID_TAIL.exec(subscriptionArn);
  if (!tail || tail.index <= TOPIC_ARN_PREFIX.length) return undefined;
  return subscriptionArn.slice(TOPIC_ARN_PREFIX.length, tail.index);
}
