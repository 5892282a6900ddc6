import { type Broker, connect, InvalidParameterError, redactUrl } from '@msgport/core';

// The transports the CLI ships with. Importing one registers its URL schemes with core; they are
// loaded on demand so `msgport stats redis://…` does not load the AWS SDK.
const TRANSPORTS: Readonly<Record<string, () => Promise<unknown>>> = {
  memory: () => import('@msgport/memory'),
  redis: () => import('@msgport/redis'),
  rediss: () => import('@msgport/redis'),
  amqp: () => import('@msgport/rabbitmq'),
  amqps: () => import('@msgport/rabbitmq'),
  // @msgport/sns registers sqs:// (through @msgport/sqs) with SNS topics
  sqs: () => import('@msgport/sns'),
};

// Query parameters that carry secrets in some transport's URL (e.g. sqs://?secretAccessKey=…).
const SECRET_PARAMETER = /secret|token|password|credential|key$/i;

/** The URL as it may be shown: password and secret query parameters replaced by `***`. */
export function displayUrl(url: string): string {
  const redacted = redactUrl(url);
  const query = redacted.indexOf('?');
  if (query < 0) return redacted;
  const parts = redacted
    .slice(query + 1)
    .split('&')
    .map((pair) => {
      const name = decodeURIComponentSafe(pair.split('=')[0] ?? '');
      return SECRET_PARAMETER.test(name) && name !== 'accessKeyId' ? `${pair.split('=')[0]}=***` : pair;
    });
  return `${redacted.slice(0, query)}?${parts.join('&')}`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Opens a broker for `url` with the transport its scheme names. Errors never contain the password. */
export async function openBroker(url: string): Promise<Broker> {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  const load = scheme === undefined ? undefined : TRANSPORTS[scheme];
  if (!load) {
    throw new InvalidParameterError(
      `"${displayUrl(url)}" is not a broker URL; use one of ${Object.keys(TRANSPORTS)
        .map((s) => `${s}://`)
        .join(', ')}`,
    );
  }
  await load();
  return connect(url);
}

/** The secrets a URL carries: its password and the values of secret query parameters. */
function secretsOf(url: string): string[] {
  const secrets: string[] = [];
  try {
    const parsed = new URL(url);
    if (parsed.password) secrets.push(parsed.password, decodeURIComponentSafe(parsed.password));
    for (const [name, value] of parsed.searchParams) {
      if (value && SECRET_PARAMETER.test(name) && name !== 'accessKeyId')
        secrets.push(value, encodeURIComponent(value));
    }
  } catch {
    // not a URL: nothing can be extracted, the generic redaction below still applies
  }
  return [...new Set(secrets)].filter((secret) => secret.length > 0).sort((a, b) => b.length - a.length);
}

/** A function that removes every secret of `urls` (and any URL password) from a text. */
export function redactorFor(urls: readonly string[]): (text: string) => string {
  const secrets = urls.flatMap(secretsOf);
  return (text) => {
    let result = redactUrl(text);
    for (const secret of secrets) result = result.split(secret).join('***');
    return result;
  };
}
