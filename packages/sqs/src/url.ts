import { BrokerUrl, formatHostPort, InvalidParameterError } from '@msgport/core/driver';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** What an `sqs://` URL configures. Anything absent comes from the standard AWS chain (env, profile, IMDS…). */
export interface SqsConnectionOptions {
  readonly region?: string;
  /** SQS endpoint, e.g. an emulator `http://127.0.0.1:4566`. */
  readonly endpoint?: string;
  /** SNS endpoint; default: the SQS endpoint when one is given, else the region's. */
  readonly snsEndpoint?: string;
  readonly credentials?: AwsCredentials;
}

/** Parameters whose values hold no secret: shown in redacted URLs. The rest print as `***`. */
export const SQS_PUBLIC_PARAMS = ['region', 'endpoint', 'snsEndpoint', 'tls'] as const;
const KNOWN_PARAMS = [...SQS_PUBLIC_PARAMS, 'accessKeyId', 'secretAccessKey', 'sessionToken'];

/** The URL with its password and secret parameters masked, for messages and logs. */
export function redactSqsUrl(input: string | URL | BrokerUrl): string {
  return BrokerUrl.parse(input).withPublicParams(SQS_PUBLIC_PARAMS).redacted();
}

function invalid(url: BrokerUrl, reason: string): InvalidParameterError {
  return new InvalidParameterError(`invalid SQS URL ${url.redacted()}: ${reason}`);
}

function httpUrl(url: BrokerUrl, name: string, value: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    // Reported below without the value.
  }
  if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') {
    throw invalid(url, `${name} must be an http(s) URL`);
  }
  if (parsed.username !== '' || parsed.password !== '') throw invalid(url, `${name} must not carry credentials`);
  return value.replace(/\/+$/, '');
}

/**
 * Reads `sqs://[accessKeyId:secretAccessKey@host[:port]]?region=…&endpoint=…`.
 *
 * - `region`: AWS region (default: `AWS_REGION` and the rest of the SDK's region chain);
 * - `endpoint` / `snsEndpoint`: explicit endpoints (emulators, VPC endpoints);
 * - a host (`sqs://key:secret@127.0.0.1:4566`) is the endpoint, `https` unless `tls=false`;
 * - credentials: user-info, or `accessKeyId` + `secretAccessKey` (+ `sessionToken`) parameters for
 *   emulators; without them the standard AWS credential chain applies.
 */
export function parseSqsUrl(input: string | URL | BrokerUrl): SqsConnectionOptions {
  const url = BrokerUrl.parse(input).withPublicParams(SQS_PUBLIC_PARAMS);
  if (url.scheme !== 'sqs') throw new InvalidParameterError(`${url.scheme}:// is not an sqs:// URL`);
  url.assertKnownParams(KNOWN_PARAMS);
  if (url.path !== '') throw invalid(url, 'an sqs:// URL has no path');
  if (url.hosts.length > 1) throw invalid(url, 'an sqs:// URL names at most one endpoint host');
  const params = { get: (name: string) => url.param(name) ?? null };
  const tls = params.get('tls');
  if (tls !== null && tls !== 'true' && tls !== 'false') throw invalid(url, 'tls must be "true" or "false"');
  let endpoint = params.get('endpoint') ?? undefined;
  if (endpoint !== undefined) endpoint = httpUrl(url, 'endpoint', endpoint);
  if (url.host !== undefined) {
    if (endpoint !== undefined) throw invalid(url, 'give the endpoint either as the host or as ?endpoint=, not both');
    endpoint = `${tls === 'false' ? 'http' : 'https'}://${formatHostPort(url.host)}`;
  }
  const snsParam = params.get('snsEndpoint');
  const snsEndpoint = snsParam !== null ? httpUrl(url, 'snsEndpoint', snsParam) : endpoint;
  const region = params.get('region') ?? undefined;
  if (region !== undefined && !/^[a-z0-9-]+$/.test(region)) throw invalid(url, 'region is not a region name');
  const credentials = readCredentials(url);
  return {
    ...(region !== undefined ? { region } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(snsEndpoint !== undefined ? { snsEndpoint } : {}),
    ...(credentials ? { credentials } : {}),
  };
}

function readCredentials(url: BrokerUrl): AwsCredentials | undefined {
  const fromUserInfo = url.username !== undefined;
  const accessKeyId = fromUserInfo ? url.username : url.param('accessKeyId');
  const secretAccessKey = fromUserInfo ? url.password() : url.param('secretAccessKey');
  if (fromUserInfo && (url.hasParam('accessKeyId') || url.hasParam('secretAccessKey'))) {
    throw invalid(url, 'give credentials either as user-info or as parameters, not both');
  }
  if (!accessKeyId && !secretAccessKey) return undefined;
  if (!accessKeyId || !secretAccessKey) throw invalid(url, 'credentials need both an access key id and a secret');
  const sessionToken = url.param('sessionToken');
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}
