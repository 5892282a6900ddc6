import { join } from 'node:path';
import { FauxqsProcess } from '../support/fauxqs-process.js';
import { RabbitNode } from '../support/rabbit-node.js';
import { RedisProcess } from '../support/redis-process.js';

export const CHAOS_TRANSPORTS = ['redis', 'rabbitmq', 'sqs'] as const;
export type ChaosTransport = (typeof CHAOS_TRANSPORTS)[number];

/** The private broker a chaos run attacks. */
export interface ChaosBroker {
  /** Where it listens (the cutting proxy forwards here). */
  readonly port: number;
  /** Whether it keeps messages across a restart; only such a broker is restarted. */
  readonly persistent: boolean;
  /** The client URL for a connection through `port` (the broker's own or the proxy's). */
  url(port: number): string;
  /** A crash (SIGKILL) and a start on the same data; resolves when it listens again. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the private server of `transport` with its data under `dir`. */
export async function startChaosBroker(transport: ChaosTransport, dir: string): Promise<ChaosBroker> {
  switch (transport) {
    case 'redis': {
      // appendfsync everysec (the default): Redis writes the AOF before it replies, so a SIGKILL of
      // the server loses no acknowledged write (the page cache keeps it).
      const redis = await RedisProcess.start({
        dir: join(dir, 'redis'),
        args: ['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
      });
      return {
        port: redis.port,
        persistent: true,
        url: (port) => `redis://127.0.0.1:${port}`,
        restart: async () => {
          await redis.kill();
          await redis.start();
        },
        stop: () => redis.kill(),
      };
    }
    case 'rabbitmq': {
      const node = await RabbitNode.prepare({
        dir: join(dir, 'rabbit'),
        name: `msgport-chaos-${process.pid}`,
        cookie: `MSGPORTCHAOS${process.pid}`,
      });
      await node.start();
      return {
        port: node.port,
        persistent: true,
        url: (port) => `amqp://guest:guest@127.0.0.1:${port}`,
        restart: async () => {
          await node.kill();
          await node.start();
        },
        stop: () => node.kill(),
      };
    }
    case 'sqs': {
      const fauxqs = await FauxqsProcess.start();
      return {
        port: fauxqs.port,
        persistent: false,
        url: (port) => FauxqsProcess.url(port),
        restart: () => Promise.reject(new Error('fauxqs keeps nothing across a restart')),
        stop: () => fauxqs.stop(),
      };
    }
  }
}
