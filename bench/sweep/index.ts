import { randomUUID } from 'node:crypto';
import { connect } from '@msgport/core';
import '@msgport/memory';
import '@msgport/redis';
import '@msgport/rabbitmq';
import '@msgport/sqs';
import type { BenchSettings } from '../args.js';
import type { Pipeline } from '../end-to-end.js';
import { startEmulator } from '../fauxqs.js';
import type { Row } from '../measure.js';
import { msgportLoops } from './loops.js';
import { timedCompare } from './timed.js';

export const SWEEP_CONCURRENCY = [1, 4, 16, 64] as const;
export const SWEEP_PAYLOADS = [256, 16 * 1024, 256 * 1024] as const;
/** The payload of the concurrency curve and the concurrency of the payload curve. */
const AT_PAYLOAD = 256;
const AT_CONCURRENCY = 16;
const SQS_BATCH_BYTES = 256 * 1024;
const ROUND_SECONDS = 0.5;

/** One transport of the sweep: msgport on it, and what a user would pick instead, at a concurrency. */
interface Transport {
  readonly name: string;
  readonly alternative: string;
  readonly ours: (concurrency: number, round: number) => Promise<Pipeline>;
  readonly theirs: (concurrency: number) => Promise<Pipeline>;
  readonly close: () => Promise<void>;
}

type Opener = (urls: SweepUrls) => Promise<Transport>;
export interface SweepUrls {
  readonly redis: string;
  readonly amqp: string;
}

const tag = () => `bench-sweep-${randomUUID().slice(0, 8)}`;

const transports: Record<string, Opener> = {
  memory: async () => {
    const broker = await connect('memory://');
    const emulator = await startEmulator();
    const { rawSdk } = await import('../sqs.js');
    return {
      name: 'memory',
      alternative: 'fauxqs in-process + AWS SDK loops',
      ours: (c, round) => msgportLoops(broker, `${tag()}-${round}`, c),
      theirs: (c) => rawSdk(emulator.client, c),
      close: async () => {
        await broker.close();
        await emulator.close();
      },
    };
  },
  redis: async ({ redis }) => {
    const broker = await connect(redis);
    const { bullmq } = await import('../redis.js');
    return {
      name: 'redis',
      alternative: 'BullMQ add + Worker',
      ours: (c, round) => msgportLoops(broker, `${tag()}-${round}`, c),
      theirs: async (c) => bullmq(redis, c),
      close: () => broker.close(),
    };
  },
  rabbitmq: async ({ amqp }) => {
    const broker = await connect(amqp);
    const { rawAmqplib } = await import('../rabbitmq.js');
    return {
      name: 'rabbitmq',
      alternative: 'amqplib confirms + manual acks',
      ours: (c, round) => msgportLoops(broker, `${tag()}-${round}`, c),
      theirs: (c) => rawAmqplib(amqp, c * 10),
      close: () => broker.close(),
    };
  },
  sqs: async () => {
    const emulator = await startEmulator();
    const broker = await connect(emulator.url);
    const { rawSdk } = await import('../sqs.js');
    return {
      name: 'sqs (fauxqs)',
      alternative: 'raw SDK batch loops',
      ours: (c, round) => msgportLoops(broker, `${tag()}-${round}`, c),
      theirs: (c) => rawSdk(emulator.client, c),
      close: async () => {
        await broker.close();
        await emulator.close();
      },
    };
  },
};

/** The sweep's points: concurrency 1 / 4 / 16 / 64 at 256 B, then 16 KiB and 256 KiB at concurrency 16. */
export function sweepPoints(): { concurrency: number; payload: number }[] {
  return [
    ...SWEEP_CONCURRENCY.map((concurrency) => ({ concurrency, payload: AT_PAYLOAD })),
    ...SWEEP_PAYLOADS.filter((payload) => payload !== AT_PAYLOAD).map((payload) => ({
      concurrency: AT_CONCURRENCY,
      payload,
    })),
  ];
}

export const payloadLabel = (bytes: number) => (bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} B`);

/**
 * The sweep section: produce + process throughput of each transport against its alternative, over
 * concurrency and payload, rounds of about half a second. `--only sweep-redis` (etc.) picks transports.
 */
export async function sweepRows(settings: BenchSettings, emit: (row: Row) => void, urls: SweepUrls): Promise<void> {
  const parts = settings.only.filter((name) => name.startsWith('sweep-')).map((name) => name.slice('sweep-'.length));
  const rounds = Math.max(1, Math.min(settings.rounds, 3));
  for (const [key, open] of Object.entries(transports)) {
    if (parts.length > 0 && !parts.includes(key)) continue;
    let transport: Transport;
    try {
      transport = await open(urls);
    } catch (error) {
      console.log(`${key} sweep: not measured (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    try {
      for (const { concurrency, payload } of sweepPoints()) {
        const batchSize = Math.max(1, Math.min(10, Math.floor(SQS_BATCH_BYTES / payload)));
        const [ours = 0, theirs = 0] = await timedCompare(
          { payloadBytes: payload, batchSize, seconds: ROUND_SECONDS, rounds },
          [(round) => transport.ours(concurrency, round), () => transport.theirs(concurrency)],
        );
        emit({
          name: `${transport.name} sweep: produce + process, ${payloadLabel(payload)}, concurrency ${concurrency}`,
          value: ours,
          unit: 'msg/s',
          baseline: { name: transport.alternative, value: theirs },
          params: {
            section: 'sweep',
            transport: transport.name,
            alternative: transport.alternative,
            concurrency,
            payload,
          },
        });
      }
    } finally {
      await transport.close();
    }
  }
}
