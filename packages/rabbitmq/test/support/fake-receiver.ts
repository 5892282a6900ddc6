import { type Logger, resolveQueueConfig } from '@msgport/core/driver';
import { captureLogger } from '@msgport/test-support';
import type { Message } from 'amqplib';
import { AgeTracker } from '../../src/age-tracker.js';
import type { ConnectionManager } from '../../src/connection.js';
import type { ConsumerPool } from '../../src/consumer-pool.js';
import { DeliveryTracker } from '../../src/delivery-tracker.js';
import { encodeMessage } from '../../src/message-codec.js';
import type { Publisher } from '../../src/publisher.js';
import { Receiver, type ReceiverDeps } from '../../src/receiver.js';
import { RegistryState } from '../../src/registry-state.js';
import type { SequenceSource } from '../../src/sequence.js';
import { Names } from '../../src/topology.js';

/** A delivery of message `id`, received `priorReceives` times before. */
export function delivery(id: string, priorReceives = 0): Message {
  const encoded = encodeMessage({
    messageId: id,
    body: id,
    attributes: {},
    sentAt: Date.now(),
    enqueuedAt: Date.now(),
    ...(priorReceives > 0 ? { priorReceives } : {}),
  });
  return {
    content: encoded.content,
    fields: { redelivered: false },
    properties: encoded.options,
  } as unknown as Message;
}

/** A Receiver on fakes: the pool is what the test gives, and it reports to `logger`. */
export function receiverWith(
  pool: Partial<ConsumerPool>,
  logger: Logger = captureLogger(),
  deps: Partial<Pick<ReceiverDeps, 'state' | 'publisher'>> = {},
): Receiver {
  return new Receiver({
    connection: { logger } as unknown as ConnectionManager,
    names: new Names(undefined),
    state: new RegistryState(),
    tracker: new DeliveryTracker(),
    pool: pool as ConsumerPool,
    publisher: {} as Publisher,
    sequence: {} as SequenceSource,
    ages: new AgeTracker(),
    fifoPrefetch: 10,
    closing: new AbortController().signal,
    ...deps,
  });
}

export const queue = { id: '1', name: 'q', config: resolveQueueConfig('q', {}), createdAt: 0 };
