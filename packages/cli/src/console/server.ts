import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Broker, isMsgportError } from '@msgport/core';
import { type BrokerInfo, handleApi } from './api.js';
import { staticFile } from './static-files.js';
import { BadRequest } from './validate.js';

export interface ConsoleServerOptions {
  readonly host: string;
  readonly port: number;
  readonly redact: (text: string) => string;
}

export interface ConsoleServer {
  /** e.g. `http://127.0.0.1:8780/` */
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 4096;

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  QueueDoesNotExist: 404,
  TopicDoesNotExist: 404,
  InvalidParameter: 400,
  UnsupportedCapability: 400,
  PurgeInProgress: 409,
  Unavailable: 503,
  Throttled: 503,
  PermissionDenied: 403,
};

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
    throw new BadRequest('send the body as application/json', 415);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest('the request body is too large', 413);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch {
    throw new BadRequest('the request body is not valid JSON');
  }
}

/**
 * Requests must name this server in Host (no DNS rebinding) and, when they carry an Origin, come
 * from the console's own page (no cross-site POSTs from other tabs).
 */
function checkCaller(request: IncomingMessage, allowedHosts: ReadonlySet<string>): void {
  const host = request.headers.host ?? '';
  if (!allowedHosts.has(host.toLowerCase())) throw new BadRequest('unexpected Host header', 403);
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) throw new BadRequest('cross-origin request refused', 403);
}

/** The console's HTTP server: static page and JSON API, nothing else. */
export async function startConsoleServer(
  broker: Broker,
  info: BrokerInfo,
  options: ConsoleServerOptions,
): Promise<ConsoleServer> {
  const allowedHosts = new Set<string>();
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://console.invalid');
    try {
      checkCaller(request, allowedHosts);
      if (url.pathname.startsWith('/api/')) {
        const method = request.method ?? 'GET';
        if (method !== 'GET' && method !== 'POST') throw new BadRequest(`${method} is not allowed`, 405);
        const body = method === 'POST' ? await readJson(request) : undefined;
        const result = await handleApi(broker, info, { method, path: url.pathname, query: url.searchParams, body });
        return sendJson(response, 200, result);
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') throw new BadRequest('only GET is allowed', 405);
      const file = await staticFile(url.pathname);
      if (!file) return send(response, 404, 'text/plain; charset=utf-8', 'not found');
      return send(response, 200, file.type, file.body);
    } catch (error) {
      const status =
        error instanceof BadRequest ? error.status : isMsgportError(error) ? (STATUS_BY_CODE[error.code] ?? 500) : 500;
      const code = error instanceof BadRequest ? 'BadRequest' : isMsgportError(error) ? error.code : 'Internal';
      const message = options.redact(error instanceof Error ? error.message : String(error));
      if (!response.headersSent) sendJson(response, status, { error: { code, message } });
      else response.destroy();
    }
  };
  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostText = options.host.includes(':') ? `[${options.host}]` : options.host;
  for (const name of [hostText, 'localhost', '127.0.0.1']) allowedHosts.add(`${name}:${port}`.toLowerCase());
  return {
    url: `http://${hostText}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
