import {
  containerRuntimeAnswers,
  inCi,
  provideService,
  startRabbitMQContainer,
  tcpAnswers,
} from '@msgport/test-support';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared broker the tests use: AMQP_URL, the local default, or a testcontainers one. */
    amqpUrl: string;
    /** Why the RabbitMQ tests cannot run here; empty when they can. */
    rabbitmqUnavailable: string;
  }
}

/**
 * Finds the broker for the whole project once (see @msgport/test-support's `provideService`):
 * AMQP_URL or 127.0.0.1:5672 when it answers, else a testcontainers RabbitMQ when Docker answers,
 * else the tests skip with the reason in their titles (CI=true fails instead).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const configured = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  const url = new URL(configured);
  const host = url.hostname;
  const port = Number(url.port || (url.protocol === 'amqps:' ? 5671 : 5672));
  const service = await provideService(
    {
      name: 'RabbitMQ',
      url: configured,
      displayUrl: `${host}:${port}`,
      hint: 'run .ci/ensure-rabbitmq.sh or set AMQP_URL',
      ci: inCi(),
    },
    {
      reachable: () => tcpAnswers(host, port),
      containerRuntime: containerRuntimeAnswers,
      startContainer: startRabbitMQContainer,
    },
  );
  project.provide('amqpUrl', service.source === 'none' ? configured : service.url);
  project.provide('rabbitmqUnavailable', service.source === 'none' ? service.reason : '');
  return () => service.stop();
}
