import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';

/** A local TCP peer misbehaving in one chosen way; `close()` ends it and every socket it accepted. */
export interface Peer {
  readonly port: number;
  close(): Promise<void>;
}

async function listen(server: Server, sockets = new Set<Socket>()): Promise<Peer> {
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Accepts TCP connections and never sends a byte: a hung broker or a black-holing proxy. */
export function silentPeer(): Promise<Peer> {
  return listen(createServer());
}

/** Accepts and at once resets every connection. */
export function resettingPeer(): Promise<Peer> {
  return listen(createServer((socket) => socket.resetAndDestroy()));
}

/** Answers every connection with bytes no broker protocol expects, then hangs up. */
export function garbagePeer(): Promise<Peer> {
  const server = createServer((socket) => {
    socket.end('\u0000\u00ffnot a broker\r\n\r\n');
  });
  return listen(server);
}

/** A port nothing listens on (connections are refused). */
export async function closedPort(): Promise<number> {
  const peer = await silentPeer();
  await peer.close();
  return peer.port;
}

/**
 * An HTTP endpoint answering every request as AWS does for bad credentials (403, JSON protocol
 * error `UnrecognizedClientException`), echoing nothing of the request.
 */
export function awsDenyingPeer(): Promise<Peer> {
  const server = createHttpServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const body = JSON.stringify({
        __type: 'com.amazon.coral.service#UnrecognizedClientException',
        message: 'The security token included in the request is invalid.',
      });
      response.writeHead(403, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': 'denied-request-1',
        'x-amzn-query-error': 'InvalidClientTokenId;Sender',
      });
      response.end(body);
    });
  });
  return listen(server);
}

/** One of each misbehaving peer, for a test file; `close()` in `afterAll`. */
export async function startPeers(): Promise<{
  ports: { closed: number; silent: number; resetting: number; garbage: number };
  close(): Promise<void>;
}> {
  const [silent, resetting, garbage] = await Promise.all([silentPeer(), resettingPeer(), garbagePeer()]);
  const closed = await closedPort();
  return {
    ports: { closed, silent: silent.port, resetting: resetting.port, garbage: garbage.port },
    close: async () => {
      await Promise.all([silent.close(), resetting.close(), garbage.close()]);
    },
  };
}
