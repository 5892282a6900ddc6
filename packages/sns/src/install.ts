import type { SNSClient } from '@aws-sdk/client-sns';
import { type MeterableClient, meterClient, type SqsTopicsContext, type SqsTopicsFactory } from '@msgport/sqs';
import { createSnsClient } from './sns-client.js';
import { SnsTopics } from './sns-topics.js';

function isClient(value: unknown): value is SNSClient {
  return value !== null && typeof value === 'object' && typeof (value as { send?: unknown }).send === 'function';
}

/**
 * The topic half of an sqs:// driver: SNS topics on the client of `transportOptions.snsClient`, or on
 * one built from the URL (`region`, `snsEndpoint` — default the SQS endpoint —, credentials).
 */
export const snsTopics: SqsTopicsFactory = (context: SqsTopicsContext) => {
  const { connection, transportOptions } = context;
  const given = transportOptions.snsClient;
  const client = isClient(given)
    ? given
    : createSnsClient(
        {
          ...(connection.region !== undefined ? { region: connection.region } : {}),
          ...(connection.snsEndpoint !== undefined ? { endpoint: connection.snsEndpoint } : {}),
          ...(connection.credentials !== undefined ? { credentials: connection.credentials } : {}),
        },
        context.deadlines,
      );
  meterClient(client as unknown as MeterableClient, 'sns', context.meter);
  return new SnsTopics({ client, queues: context.queues, transport: context.transport, counter: context.meter });
};
