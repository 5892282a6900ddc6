import {
  type Broker,
  consume,
  consumeMessages,
  json,
  type Queue,
  type QueueMetrics,
  type SQSHandler,
} from '@msgport/core';
import { CATALOG, type Order, type PricedOrder, priceOrder, validateOrder } from './orders.js';

/**
 * Pipes and filters: orders → validate → enrich → topic `order-events`, which fans out to a
 * billing queue (filtered: paid orders only) and a shipping queue (raw delivery). Every queue has a
 * dead-letter queue; invalid orders land in `orders-dlq` after two attempts.
 */
export interface OrderPipeline {
  readonly queues: Readonly<Record<QueueName, Queue<unknown>>>;
  readonly dlqOf: Readonly<Partial<Record<QueueName, string>>>;
  send(orders: readonly Order[]): Promise<void>;
  /** Lets the validator accept every sku from now on (an operator fixing the catalog). */
  acceptAllSkus(): void;
  processed(): { billed: number; shipped: number };
  metrics(): Promise<Record<string, QueueMetrics>>;
  stop(): Promise<void>;
  /** Deletes the queues and the topic the pipeline made (after `stop`). */
  remove(): Promise<void>;
}

export type QueueName =
  | 'orders'
  | 'validated'
  | 'billing'
  | 'shipping'
  | 'orders-dlq'
  | 'validated-dlq'
  | 'billing-dlq'
  | 'shipping-dlq';

export interface PipelineOptions {
  /** Seconds an invalid order waits before its retry; short so the demo finishes fast. */
  readonly visibilityTimeoutSeconds?: number;
  readonly maxReceiveCount?: number;
  /** Prefix of every queue and topic name, so runs on a shared broker never meet. Default none. */
  readonly prefix?: string;
}

export async function startOrderPipeline(broker: Broker, options: PipelineOptions = {}): Promise<OrderPipeline> {
  const visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? 2;
  const maxReceiveCount = options.maxReceiveCount ?? 2;
  const names = ['orders', 'validated', 'billing', 'shipping'] as const;
  const queues = {} as Record<QueueName, Queue<unknown>>;
  const dlqOf: Partial<Record<QueueName, string>> = {};
  const prefix = options.prefix ?? '';
  for (const name of names) {
    const dlq = `${name}-dlq` as QueueName;
    queues[dlq] = await broker.createQueue(`${prefix}${dlq}`, { codec: json() });
    queues[name] = await broker.createQueue(`${prefix}${name}`, {
      codec: json(),
      visibilityTimeoutSeconds,
      deadLetter: { queue: `${prefix}${dlq}`, maxReceiveCount },
    });
    dlqOf[name] = dlq;
  }
  const events = await broker.createTopic(`${prefix}order-events`, { codec: json<PricedOrder>() });
  await events.subscribe(queues.billing, { filterPolicy: { total: [{ numeric: ['>', 0] }] } });
  await events.subscribe(queues.shipping, { rawMessageDelivery: true });

  let catalog: ReadonlySet<string> = CATALOG;
  const validated = queues.validated as Queue<Order>;
  // Invalid orders fail on purpose (the tables show them reaching the DLQ), so their handler
  // failures are not logged; a real service keeps the default logger or passes its own.
  const common = { functionTimeoutSeconds: 1, maximumConcurrency: 20, logger: false } as const;
  const consumers: { stop(): Promise<unknown>; on(event: 'warning', listener: () => void): unknown }[] = [];
  const silence = (consumer: (typeof consumers)[number]) => consumer.on('warning', () => {});

  // Filter 1: validate, one message at a time; a thrown error fails only that order.
  consumers.push(
    await consumeMessages(
      queues.orders as Queue<Order>,
      async (message) => {
        validateOrder(message.body, catalog);
        await validated.send(message.body);
      },
      common,
    ),
  );
  // Filter 2: enrich with prices and publish; a Lambda-style batch handler.
  const enrich: SQSHandler = async (event) => {
    await events.publishBatch(
      event.Records.map((record, i) => {
        const priced = priceOrder(JSON.parse(record.body) as Order);
        return { id: `e${i}`, body: priced, attributes: { total: priced.total, sku: priced.sku } };
      }),
    );
  };
  consumers.push(await consume(queues.validated as Queue<unknown>, enrich, common));
  // Sinks: billing receives the SNS JSON envelope, shipping the raw published body.
  let billed = 0;
  let shipped = 0;
  consumers.push(
    await consume(
      queues.billing,
      async (event) => {
        billed += event.Records.length;
      },
      common,
    ),
  );
  consumers.push(
    await consume(
      queues.shipping,
      async (event) => {
        shipped += event.Records.length;
      },
      common,
    ),
  );
  consumers.forEach(silence);

  return {
    queues,
    dlqOf,
    async send(orders) {
      await (queues.orders as Queue<Order>).sendBatch(orders.map((body, i) => ({ id: `o${i}`, body })));
    },
    acceptAllSkus() {
      catalog = new Set([...CATALOG, 'unicorn']);
    },
    processed: () => ({ billed, shipped }),
    async metrics() {
      const out: Record<string, QueueMetrics> = {};
      for (const [name, queue] of Object.entries(queues)) out[name] = await queue.metrics();
      return out;
    },
    async stop() {
      await Promise.all(consumers.map((consumer) => consumer.stop()));
    },
    async remove() {
      await broker.deleteTopic(events.name);
      for (const queue of Object.values(queues)) await broker.deleteQueue(queue.name);
    },
  };
}
