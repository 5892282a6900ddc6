import { createHash } from 'node:crypto';
import type { Logger, QueueConfig } from '@msgport/core/driver';
import type { Channel } from 'amqplib';
import { describe, type Link, TRANSPORT_NAME } from './connection.js';

/**
 * Names and declarations of everything the transport keeps on the broker.
 *
 * - queue `Q`: a quorum queue named `<prefix>Q` (prefix = `namespace.` or empty);
 * - topic `T`: a durable headers exchange `<prefix>msgport.topic.T`;
 * - registry: the stream `<prefix>msgport.control` (queue and topic settings, subscriptions, purges);
 * - delays: the shared cascade `msgport.delay.0` … `msgport.delay.9` and `msgport.delay.deliver`.
 */

/** Delay levels: level L holds messages 2^L seconds; ten levels reach 1,023 s ≥ SQS's 900 s. */
export const DELAY_LEVELS = 10;
export const DELAY_DELIVER_EXCHANGE = 'msgport.delay.deliver';
/**
 * Where delayed messages for a queue that no longer exists go (the deliver exchange's alternate
 * exchange): a queue with `x-max-length: 0` that drops them. Without a route, an at-least-once dead
 * letter would stay in the last delay level forever.
 */
export const DELAY_SINK = 'msgport.delay.sink';
export const delayLevelName = (level: number): string => `msgport.delay.${level}`;

/**
 * Unlimited in practice and accepted by every version: RabbitMQ 4.0 defaults quorum queues to a delivery
 * limit of 20, and `-1` ("unlimited" on 4.x) drops messages on 3.x. With a limit set, returned messages
 * go back to the head of the queue, which FIFO queues need.
 */
export const DELIVERY_LIMIT = 2_147_483_647;

const MAX_AMQP_NAME = 255;

export class Names {
  readonly prefix: string;

  constructor(namespace: string | undefined) {
    this.prefix = namespace ? `${namespace}.` : '';
  }

  queue(name: string): string {
    return `${this.prefix}${name}`;
  }

  /** AMQP names are at most 255 bytes; SNS topic names reach 256 characters, so long ones are hashed. */
  topicExchange(topic: string): string {
    const name = `${this.prefix}msgport.topic.${topic}`;
    if (name.length <= MAX_AMQP_NAME) return name;
    const digest = createHash('sha256').update(topic, 'utf8').digest('hex').slice(0, 32);
    return `${this.prefix}msgport.topic.${topic.slice(0, 100)}~${digest}`;
  }

  get controlStream(): string {
    return `${this.prefix}msgport.control`;
  }
}

/** A routing-key word for a broker queue name: dots would split it into several words. */
export function routingWord(brokerQueue: string): string {
  return brokerQueue.replaceAll('.', '~');
}

/** Routing key through the cascade: the delay's bits, most significant first, then the queue word. */
export function delayRoutingKey(delaySeconds: number, brokerQueue: string): string {
  const bits = delaySeconds.toString(2).padStart(DELAY_LEVELS, '0').split('').join('.');
  return `${bits}.${routingWord(brokerQueue)}`;
}

export function queueArguments(config: QueueConfig): Record<string, unknown> {
  return {
    'x-queue-type': 'quorum',
    'x-delivery-limit': DELIVERY_LIMIT,
    'x-message-ttl': config.retentionSeconds * 1000,
    ...(config.fifo ? { 'x-single-active-consumer': true } : {}),
  };
}

export async function declareQueue(channel: Channel, brokerQueue: string, config: QueueConfig): Promise<void> {
  await channel.assertQueue(brokerQueue, { durable: true, arguments: queueArguments(config) });
  await bindToDelays(channel, brokerQueue);
}

/** The queue's route out of the delay cascade. */
export async function bindToDelays(channel: Channel, brokerQueue: string): Promise<void> {
  await channel.bindQueue(brokerQueue, DELAY_DELIVER_EXCHANGE, `#.${routingWord(brokerQueue)}`);
}

export async function declareControlStream(channel: Channel, names: Names): Promise<void> {
  await channel.assertQueue(names.controlStream, { durable: true, arguments: { 'x-queue-type': 'stream' } });
}

/**
 * The delay cascade (the NServiceBus v2 design): level L is a topic exchange and a quorum queue with a
 * TTL of 2^L s that dead-letters, at least once, to level L−1 (level 0 to the deliver exchange). A
 * message's routing key carries its delay in bits; a 1 at level L parks it in that level's queue, a
 * 0 passes it on through an exchange-to-exchange binding. Dead-lettering keeps the routing key, so
 * the deliver exchange routes it to the queue bound with `#.<queue word>`. Everything is durable and
 * survives broker restarts.
 */
export async function declareDelayCascade(channel: Channel): Promise<void> {
  await channel.assertExchange(DELAY_SINK, 'fanout', { durable: true });
  await channel.assertQueue(DELAY_SINK, { durable: true, arguments: { 'x-max-length': 0 } });
  await channel.bindQueue(DELAY_SINK, DELAY_SINK, '');
  await channel.assertExchange(DELAY_DELIVER_EXCHANGE, 'topic', { durable: true, alternateExchange: DELAY_SINK });
  for (let level = 0; level < DELAY_LEVELS; level++) {
    await channel.assertExchange(delayLevelName(level), 'topic', { durable: true });
  }
  for (let level = 0; level < DELAY_LEVELS; level++) {
    const name = delayLevelName(level);
    const next = level === 0 ? DELAY_DELIVER_EXCHANGE : delayLevelName(level - 1);
    await channel.assertQueue(name, {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        'x-message-ttl': 2 ** level * 1000,
        'x-dead-letter-exchange': next,
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      },
    });
    const skip = '*.'.repeat(DELAY_LEVELS - 1 - level);
    await channel.bindQueue(name, name, `${skip}1.#`);
    await channel.bindExchange(next, name, `${skip}0.#`);
  }
}

/**
 * Connection setup: declares the delay cascade. On a first connection a failure fails the connect; on
 * a recovered one the cascade already exists cluster-wide, so it is re-asserted in the background
 * (a declaration touching a queue whose node is down can wait or fail) and a failure is logged.
 */
export async function ensureDelayCascade(link: Link, logger: Logger): Promise<void> {
  const declare = async () => {
    const channel = await link.openChannel();
    try {
      await declareDelayCascade(channel);
    } finally {
      // The channel was only for these declarations; if it already failed, the error above says why.
      await channel.close().catch(() => {});
    }
  };
  if (!link.recovered) return declare();
  declare().catch((error: unknown) => {
    if (!link.alive) return;
    logger.warn('could not re-assert the delay cascade after reconnecting (it exists unless the cluster lost it)', {
      transport: TRANSPORT_NAME,
      node: link.node,
      error: describe(error),
    });
  });
}

/** The exchange a delayed message is published to: the top of the cascade. */
export const DELAY_ENTRY_EXCHANGE = delayLevelName(DELAY_LEVELS - 1);
