import { createServer, type Server, Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a broker that can cut every open connection at once, as a
 * network fault or a load balancer's reset would. It keeps forwarding to the same port while the
 * broker restarts, so clients see refused upstreams as closed connections.
 */
export class CuttingProxy {
  readonly #links = new Set<{ client: Socket; upstream: Socket }>();
  readonly #server: Server;
  #port = 0;
  cuts = 0;

  private constructor(targetPort: number) {
    this.#server = createServer((client) => {
      const upstream = new Socket();
      const link = { client, upstream };
      this.#links.add(link);
      client.setNoDelay(true);
      upstream.setNoDelay(true);
      upstream.connect(targetPort, '127.0.0.1');
      client.pipe(upstream);
      upstream.pipe(client);
      const close = () => {
        this.#links.delete(link);
        client.destroy();
        upstream.destroy();
      };
      client.on('close', close);
      upstream.on('close', close);
      client.on('error', () => undefined);
      upstream.on('error', () => undefined);
    });
  }

  static async start(targetPort: number): Promise<CuttingProxy> {
    const proxy = new CuttingProxy(targetPort);
    await new Promise<void>((resolve, reject) => {
      proxy.#server.once('error', reject);
      proxy.#server.listen(0, '127.0.0.1', resolve);
    });
    const address = proxy.#server.address();
    proxy.#port = typeof address === 'object' && address ? address.port : 0;
    return proxy;
  }

  get port(): number {
    return this.#port;
  }

  /** Resets every open connection; returns how many there were. */
  cut(): number {
    const count = this.#links.size;
    for (const { client, upstream } of this.#links) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    this.#links.clear();
    this.cuts++;
    return count;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
