import { isMsgportError, type MsgportError, UnavailableError } from '@msgport/core/driver';
import { scrubError } from './classify-error.js';
import { isCluster, type RedisClient } from './connection.js';
import { TRANSPORT_NAME } from './context.js';
import { connectTimeout, type Endpoint, failureError } from './failure-error.js';

/**
 * Connects `client` — TCP, TLS, HELLO/AUTH, SELECT, the ready check; for Sentinel also asking the
 * Sentinels — within `endpoint.connectTimeoutMs`. The first `error` the client reports while
 * connecting decides (a refused port, a wrong password, a missing database, an untrusted
 * certificate): ioredis would otherwise keep retrying in the background, or (for a bad
 * database) go on with database 0. On failure the client is disconnected, so nothing keeps
 * retrying, and the error is typed and in msgport's words.
 */
export async function connectWithin(client: RedisClient, endpoint: Endpoint): Promise<void> {
  let onError: (error: unknown) => void = () => undefined;
  let timer: NodeJS.Timeout | undefined;
  let tlsTimer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    onError = (error) => reject(asConnectFailure(error, endpoint));
    const { connectTimeoutMs } = endpoint;
    timer = setTimeout(() => reject(connectTimeout(endpoint, stageOf(client), connectTimeoutMs)), connectTimeoutMs);
    // A TLS handshake is a few round trips: one still pending at half the deadline over an open
    // TCP connection means the port does not speak TLS (plain-text Redis stays silent).
    tlsTimer = setTimeout(
      () => {
        if (stageOf(client) === 'tls') reject(connectTimeout(endpoint, 'tls', Math.ceil(connectTimeoutMs / 2)));
      },
      Math.ceil(connectTimeoutMs / 2),
    );
  });
  client.on('error', onError);
  const connecting = client.connect();
  connecting.catch(() => undefined);
  try {
    await Promise.race([connecting, failed]);
  } catch (error) {
    client.disconnect();
    throw asConnectFailure(error, endpoint);
  } finally {
    clearTimeout(timer);
    clearTimeout(tlsTimer);
    client.off('error', onError);
  }
}

/** How far a connection got: TCP, TCP but no TLS handshake, or up to Redis's own handshake. */
function stageOf(client: RedisClient): 'tcp' | 'tls' | 'handshake' {
  if (client.status === 'connect' || client.status === 'ready') return 'handshake';
  const stream = isCluster(client)
    ? undefined
    : (client.stream as { connecting?: boolean; encrypted?: boolean } | undefined);
  return stream?.encrypted === true && stream.connecting === false ? 'tls' : 'tcp';
}

function asConnectFailure(error: unknown, endpoint: Endpoint): MsgportError {
  if (isMsgportError(error)) return error;
  return (
    failureError(error, endpoint, 'connect') ??
    new UnavailableError(`cannot connect to ${endpoint.where}: the connection failed`, {
      cause: scrubError(error),
      transport: TRANSPORT_NAME,
    })
  );
}
