import { createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP listener that accepts connections and never sends a byte: a peer that is "up"
 * at the TCP level but never answers (a hung proxy, a wrong port behind a load balancer).
 */
export class SilentServer {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  /** Connections accepted so far. */
  accepted = 0;

  private constructor() {
    this.#server = createServer((socket) => {
      this.accepted++;
      this.#sockets.add(socket);
      socket.on('error', () => undefined);
      // Read (and drop) what the client sends, so its FIN is seen and the socket closes.
      socket.resume();
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  static async start(): Promise<SilentServer> {
    const server = new SilentServer();
    await new Promise<void>((resolve) => server.#server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get port(): number {
    const address = this.#server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** Connections still open (a client that gave up closes its socket). */
  get open(): number {
    return this.#sockets.size;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
