import { InvalidParameterError, redactUrl } from '@msgport/core/driver';

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

const SECRET_PARAMS = ['secretAccessKey', 'sessionToken'] as const;
const KNOWN_PARAMS = new Set(['region', 'endpoint', 'snsEndpoint', 'tls', 'accessKeyId', ...SECRET_PARAMS]);

/** The URL with its password and secret query parameters replaced, for messages and logs. */
export function redactSqsUrl(url: string | URL): string {
  let text = redactUrl(url);
  for (const name of SECRET_PARAMS) {
    text = text.replace(new RegExp(`([?&]${name}=)[^&#]*`, 'g'), '$1***');
  }
  return text;
}

function invalid(url: URL, reason: string): InvalidParameterError {
  return new InvalidParameterError(`invalid SQS URL "${redactSqsUrl(url)}": ${reason}`);
}

function httpUrl(url: URL, name: string, value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw invalid(url, `${name} must be an http(s) URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalid(url, `${name} must be an http(s) URL`);
  }
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
export function parseSqsUrl(input: string | URL): SqsConnectionOptions {
  const url = new URL(String(input));
  if (url.protocol !== 'sqs:') throw invalid(url, 'the scheme must be sqs://');
  const params = url.searchParams;
  for (const name of params.keys()) {
    if (!KNOWN_PARAMS.has(name)) {
      throw invalid(url, `unknown parameter "${name}" (known: ${[...KNOWN_PARAMS].join(', ')})`);
    }
  }
  const tls = params.get('tls');
  if (tls !== null && tls !== 'true' && tls !== 'false') throw invalid(url, 'tls must be "true" or "false"');
  let endpoint = params.get('endpoint') ?? undefined;
  if (endpoint !== undefined) endpoint = httpUrl(url, 'endpoint', endpoint);
  if (url.host !== '') {
    if (endpoint !== undefined) throw invalid(url, 'give the endpoint either as the host or as ?endpoint=, not both');
    endpoint = `${tls === 'false' ? 'http' : 'https'}://${url.host}`;
  }
  const snsParam = params.get('snsEndpoint');
  const snsEndpoint = snsParam !== null ? httpUrl(url, 'snsEndpoint', snsParam) : endpoint;
  const region = params.get('region') ?? undefined;
  if (region !== undefined && !/^[a-z0-9-]+$/.test(region)) throw invalid(url, `"${region}" is not a region name`);
  const credentials = readCredentials(url);
  return {
    ...(region !== undefined ? { region } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(snsEndpoint !== undefined ? { snsEndpoint } : {}),
    ...(credentials ? { credentials } : {}),
  };
}

function readCredentials(url: URL): AwsCredentials | undefined {
  const params = url.searchParams;
  const fromUserInfo = url.username !== '' || url.password !== '';
  const accessKeyId = fromUserInfo ? decodeURIComponent(url.username) : params.get('accessKeyId');
  const secretAccessKey = fromUserInfo ? decodeURIComponent(url.password) : params.get('secretAccessKey');
  if (fromUserInfo && (params.has('accessKeyId') || params.has('secretAccessKey'))) {
    throw invalid(url, 'give credentials either as user-info or as parameters, not both');
  }
  if (!accessKeyId && !secretAccessKey) return undefined;
  if (!accessKeyId || !secretAccessKey) throw invalid(url, 'credentials need both an access key id and a secret');
  const sessionToken = params.get('sessionToken');
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}
