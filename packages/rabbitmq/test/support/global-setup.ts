import { connect } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    rabbitmqUnavailable: string;
  }
}

/**
 * Checks that RabbitMQ answers on AMQP_URL. With CI=true a missing server fails the run; otherwise the
 * tests skip with the reason in their titles (run `.ci/ensure-rabbitmq.sh` to start one).
 */
export default async function setup(project: TestProject): Promise<void> {
  const url = new URL(process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  const port = Number(url.port || (url.protocol === 'amqps:' ? 5671 : 5672));
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = connect({ host: url.hostname, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
  const reason = reachable ? '' : `RabbitMQ is not reachable at ${url.hostname}:${port}`;
  if (!reachable && process.env.CI === 'true') {
    throw new Error(`${reason} and CI=true: start it with .ci/ensure-rabbitmq.sh`);
  }
  project.provide('rabbitmqUnavailable', reason);
}
