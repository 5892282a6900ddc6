import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SERVER_SCRIPTS = ['/usr/lib/rabbitmq/bin/rabbitmq-server', '/usr/lib/rabbitmq/sbin/rabbitmq-server'];

/** The installed rabbitmq-server start script, run directly as the current user. */
export function findRabbitServer(): string | undefined {
  return SERVER_SCRIPTS.find((path) => existsSync(path));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A private RabbitMQ node for tests that kill or restart the broker: its own node name, loopback ports,
 * data, log and config directories in a temp dir. The shared broker on 5672 is never touched.
 */
/** PEM files for a TLS listener (`listeners.ssl.default`). */
export interface RabbitTlsFiles {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** Clients must present a certificate signed by the CA. */
  readonly requireClientCert?: boolean;
}

/** The node's process ended before it accepted connections. */
class ExitedBeforeListening extends Error {}

export class PrivateRabbit {
  readonly dir: string;
  readonly port: number;
  /** The TLS listener's port, when started with `tls`. */
  tlsPort: number | undefined;
  readonly #script: string;
  readonly #env: NodeJS.ProcessEnv;
  #process: ChildProcess | undefined;

  private constructor(script: string, dir: string, port: number, env: NodeJS.ProcessEnv) {
    this.#script = script;
    this.dir = dir;
    this.port = port;
    this.#env = env;
  }

  get url(): string {
    return `amqp://guest:guest@127.0.0.1:${this.port}`;
  }

  /**
   * Starts a node on fresh ports. Its ports are found free and released before the node binds them,
   * so a broker another test starts meanwhile can take one: a node that exits before it listens is
   * started once more, on new ports (its first data directory is kept for the post-mortem).
   */
  static async start(options: { tls?: RabbitTlsFiles } = {}): Promise<PrivateRabbit> {
    try {
      return await PrivateRabbit.#startOnce(options);
    } catch (error) {
      if (!(error instanceof ExitedBeforeListening)) throw error;
      return PrivateRabbit.#startOnce(options);
    }
  }

  static async #startOnce(options: { tls?: RabbitTlsFiles }): Promise<PrivateRabbit> {
    const script = findRabbitServer();
    if (!script) throw new Error('rabbitmq-server is not installed (run .ci/ensure-rabbitmq.sh)');
    const dir = await mkdtemp(join(tmpdir(), 'msgport-rabbit-'));
    const [port, distPort] = [await freePort(), await freePort()];
    const config = join(dir, 'rabbitmq.conf');
    const tlsPort = options.tls ? await freePort() : undefined;
    const tlsLines = options.tls
      ? [
          `listeners.ssl.default = 127.0.0.1:${tlsPort}`,
          `ssl_options.cacertfile = ${options.tls.caFile}`,
          `ssl_options.certfile = ${options.tls.certFile}`,
          `ssl_options.keyfile = ${options.tls.keyFile}`,
          `ssl_options.verify = ${options.tls.requireClientCert ? 'verify_peer' : 'verify_none'}`,
          `ssl_options.fail_if_no_peer_cert = ${options.tls.requireClientCert ? 'true' : 'false'}`,
        ]
      : [];
    await writeFile(
      config,
      [`listeners.tcp.default = 127.0.0.1:${port}`, 'consumer_timeout = 43500000', ...tlsLines, ''].join('\n'),
    );
    await writeFile(join(dir, 'enabled_plugins'), '[].\n');
    await writeFile(join(dir, 'rabbitmq-env.conf'), '');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: dir,
      RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
      RABBITMQ_NODENAME: `msgport-test-${process.pid}-${port}@localhost`,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(port),
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_CONFIG_FILE: config,
      RABBITMQ_PID_FILE: join(dir, 'rabbit.pid'),
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
      ERL_EPMD_ADDRESS: '127.0.0.1',
    };
    const node = new PrivateRabbit(script, dir, port, env);
    node.tlsPort = tlsPort;
    await node.boot();
    return node;
  }

  /** Starts the node (again) on the same data directory and waits until it accepts AMQP connections. */
  async boot(timeoutMs = 60_000): Promise<void> {
    const child = spawn(this.#script, [], { env: this.#env, cwd: this.dir, detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    this.#process = child;
    // Even if the test process dies, the node must not outlive it.
    const reap = () => {
      if (child.pid && this.#process === child) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    };
    process.once('exit', reap);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new ExitedBeforeListening(`rabbitmq-server exited with ${child.exitCode}; see ${this.dir}/log`);
      if ((await portOpen(this.port)) && (this.tlsPort === undefined || (await portOpen(this.tlsPort)))) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the private RabbitMQ node did not open port ${this.port} within ${timeoutMs} ms`);
  }

  /** SIGKILL for the whole node (script, beam and helpers): a crash, nothing is flushed. */
  async kill(): Promise<void> {
    const child = this.#process;
    this.#process = undefined;
    if (!child?.pid) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      return;
    }
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await portOpen(this.port))) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** A clean shutdown (SIGTERM: the node stops its applications and flushes everything). */
  async stop(timeoutMs = 30_000): Promise<void> {
    const child = this.#process;
    this.#process = undefined;
    if (!child?.pid) return;
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && (await portOpen(this.port))) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone, as it should be
    }
  }

  /** Kills the node and deletes its directory. */
  async destroy(): Promise<void> {
    await this.kill();
    // MSGPORT_KEEP_RABBIT_DIR=1 keeps data and logs for a post-mortem.
    if (process.env.MSGPORT_KEEP_RABBIT_DIR === '1') console.info(`private RabbitMQ node kept in ${this.dir}`);
    else await rm(this.dir, { recursive: true, force: true });
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(500);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
    socket.connect(port, '127.0.0.1');
  });
}
