import type { StartedService } from './service-fallback.js';

/**
 * The servers the suites can start with testcontainers, on the versions CI tests against
 * (Debian 12's Redis 7.0 and RabbitMQ 3.10), configured like `.ci/ensure-*.sh` configures them.
 * testcontainers is imported only when a container is needed: most runs never load it.
 */

/** True when testcontainers finds a working container runtime (Docker, Podman, Colima…). */
export async function containerRuntimeAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/** Redis without persistence, as `.ci/ensure-redis.sh` starts it. */
export async function startRedisContainer(): Promise<StartedService> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer('redis:7.0-alpine')
    .withCommand(['redis-server', '--save', '', '--appendonly', 'no'])
    .withExposedPorts(6379)
    .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
    .start();
  return started(container, `redis://${container.getHost()}:${container.getMappedPort(6379)}`);
}

/**
 * RabbitMQ with the consumer timeout msgport needs (above the 12 h maximum visibility timeout), as
 * `.ci/ensure-rabbitmq.sh` writes it. The official image lets `guest` connect from outside.
 */
export async function startRabbitMQContainer(): Promise<StartedService> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer('rabbitmq:3.10-alpine')
    .withCopyContentToContainer([
      { content: 'consumer_timeout = 43500000\n', target: '/etc/rabbitmq/conf.d/90-msgport.conf' },
    ])
    .withExposedPorts(5672)
    .withWaitStrategy(Wait.forLogMessage('Server startup complete'))
    .withStartupTimeout(120_000)
    .start();
  return started(container, `amqp://guest:guest@${container.getHost()}:${container.getMappedPort(5672)}`);
}

function started(container: { stop(): Promise<unknown> }, url: string): StartedService {
  let stopping: Promise<unknown> | undefined;
  return {
    url,
    stop: async () => {
      stopping ??= container.stop();
      await stopping;
    },
  };
}
