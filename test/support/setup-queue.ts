import { connect } from '@msgport/core';

// The tool itself runs from the repository root, where core cannot find the transport packages
// by name (its clients run from test/ and rely on connect(url) alone).
const TRANSPORT_PACKAGES: Readonly<Record<string, string>> = {
  redis: '@msgport/redis',
  'redis+sentinel': '@msgport/redis',
  amqp: '@msgport/rabbitmq',
  sqs: '@msgport/sqs',
};

/** Visibility timeout of the tools' queues: messages of a killed consumer come back after it. */
export const VISIBILITY_TIMEOUT_SECONDS = 10;

/** Creates the run's standard queue through `url` (directly, not through the cutting proxy). */
export async function setupQueue(url: string, name: string): Promise<void> {
  const scheme = url.slice(0, url.indexOf(':'));
  const pkg = TRANSPORT_PACKAGES[scheme];
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (pkg) await import(pkg);
  const broker = await connect(url, { logger: false });
  try {
    await broker.createQueue(name, { visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS });
  } finally {
    await broker.close();
  }
}
