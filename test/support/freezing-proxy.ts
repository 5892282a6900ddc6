import { createServer, type Server, Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a real server that can make the server look hung (`freeze`:
 * connections stay open, nothing more is forwarded either way) or gone (`cut`: every connection
 * is destroyed and new ones are refused).
 */
export class FreezingProxy {
  readonly #server: Server;
  readonly #links = new Set<{ client: Socket; upstream: Socket }>();
  #frozen = false;
  #port = 0;

  private constructor(host: string, port: number) {
    this.#server = createServer((client) => {
      const upstream = new Socket();
      const link = { client, upstream };
      this.#links.add(link);
      upstream.connect(port, host);
      client.on('data', (data) => {
        if (!this.#frozen) upstream.write(data);
      });
      upstream.on('data', (data) => {
        if (!this.#frozen) client.write(data);
      });
      const drop = () => {
        this.#links.delete(link);
        client.destroy();
        upstream.destroy();
      };
      client.on('close', drop);
      upstream.on('close', drop);
      client.on('error', () => undefined);
      upstream.on('error', () => undefined);
    });
  }

  static async start(host: string, port: number): Promise<FreezingProxy> {
    const proxy = new FreezingProxy(host, port);
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    const address = proxy.#server.address();
    proxy.#port = typeof address === 'object' && address ? address.port : 0;
    return proxy;
  }

  get port(): number {
    return this.#port;
  }

  freeze(): void {
    this.#frozen = true;
  }

  /** Destroys every connection and stops listening: the server is gone. */
  async cut(): Promise<void> {
    for (const { client, upstream } of this.#links) {
      client.destroy();
      upstream.destroy();
    }
    this.#links.clear();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async close(): Promise<void> {
    if (this.#server.listening) {
      await this.cut();
      return;
    }
    for (const { client, upstream } of this.#links) {
      client.destroy();
      upstream.destroy();
    }
  }
}
