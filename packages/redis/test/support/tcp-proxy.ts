import { createServer, type Server, Socket } from 'node:net';

export interface ProxyLink {
  readonly client: Socket;
  readonly upstream: Socket;
  /** The client sent a blocking command on this connection. */
  blocking: boolean;
  /** Replies from Redis are swallowed: the connection looks alive but never answers (half-open). */
  frozen: boolean;
  /** When the client side closed the connection (ms since epoch). */
  closedAt: number | undefined;
}

/** A loopback TCP proxy in front of Redis that can make connections hang. */
export class TcpProxy {
  readonly links = new Set<ProxyLink>();
  readonly #server: Server;
  #port = 0;

  private constructor(targetPort: number) {
    this.#server = createServer((client) => {
      const upstream = new Socket();
      const link: ProxyLink = { client, upstream, blocking: false, frozen: false, closedAt: undefined };
      this.links.add(link);
      upstream.connect(targetPort, '127.0.0.1');
      client.on('data', (data) => {
        if (/BLPOP/i.test(data.toString('latin1'))) link.blocking = true;
        upstream.write(data);
      });
      upstream.on('data', (data) => {
        if (!link.frozen) client.write(data);
      });
      client.on('close', () => {
        link.closedAt = Date.now();
        upstream.destroy();
      });
      upstream.on('close', () => client.destroy());
      client.on('error', () => undefined);
      upstream.on('error', () => undefined);
    });
  }

  static async start(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort);
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    const address = proxy.#server.address();
    proxy.#port = typeof address === 'object' && address ? address.port : 0;
    return proxy;
  }

  get port(): number {
    return this.#port;
  }

  /** Freezes every open connection that has sent a blocking command; returns them. */
  freezeBlocking(): ProxyLink[] {
    const frozen = [...this.links].filter((link) => link.blocking && link.closedAt === undefined);
    for (const link of frozen) link.frozen = true;
    return frozen;
  }

  async close(): Promise<void> {
    for (const link of this.links) {
      link.client.destroy();
      link.upstream.destroy();
    }
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
