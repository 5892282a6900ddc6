import { type Capabilities, defineCapabilities } from '@msgport/core/driver';

const NO_TOPICS: Partial<Capabilities> = {
  topics: false,
  fifoTopics: false,
  rawDelivery: false,
  filterPolicyScopes: [],
};

/**
 * What Amazon SQS (with SNS topics when `@msgport/sns` provides them) offers, as AWS documents it:
 * core's SQS defaults and where the SQS API itself differs. Where an emulator falls short (fauxqs
 * 1.9.2: no retention expiry, no fair queues, …) the capability still describes AWS and the deviation
 * is listed in docs/transports/sqs-sns.md.
 */
export function sqsCapabilities(topics: boolean): Capabilities {
  return defineCapabilities({
    // ApproximateAgeOfOldestMessage is a CloudWatch metric only; GetQueueAttributes has no such attribute.
    oldestMessageAge: false,
    // An abandoned long poll stays open on SQS and takes the next message (see abandon-on-abort.ts).
    abortableReceive: false,
    ...(topics ? {} : NO_TOPICS),
  });
}
