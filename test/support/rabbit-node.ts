import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { freePort, portOpen, waitUntil } from './free-port.js';
import { ownProcesses } from './own-processes.js';

const run = promisify(execFile);
const SERVER_SCRIPTS = ['/usr/lib/rabbitmq/bin/rabbitmq-server', '/usr/lib/rabbitmq/sbin/rabbitmq-server'];
const CTL_SCRIPTS = ['/usr/lib/rabbitmq/bin/', '/usr/lib/rabbitmq/sbin/'];

export interface RabbitNodeOptions {
  /** Directory of its own (data, logs, config, HOME with the Erlang cookie); created if missing. */
  readonly dir: string;
  /** Short node name, unique on this machine, e.g. `msgport-chaos-1234-a`. */
  readonly name: string;
  /** Shared by the nodes of one cluster (and by rabbitmqctl talking to them). */
  readonly cookie: string;
}

/**
 * A private RabbitMQ node on free loopback ports: its own node name, AMQP and distribution ports,
 * data and log directories, so the shared broker on 5672 is never touched. `kill()` SIGKILLs the
 * node's process group (script, VM, helpers); `start()` boots it again on the same data.
 */
export class RabbitNode {
  readonly port: number;
  readonly nodeName: string;
  readonly #options: RabbitNodeOptions;
  readonly #env: NodeJS.ProcessEnv;
  #child: ChildProcess | undefined;

  private constructor(options: RabbitNodeOptions, port: number, distPort: number) {
    this.#options = options;
    this.port = port;
    this.nodeName = `${options.name}@localhost`;
    const { dir } = options;
    this.#env = {
      ...process.env,
      HOME: dir,
      RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
      RABBITMQ_NODENAME: this.nodeName,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(port),
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
      RABBITMQ_PID_FILE: join(dir, 'rabbit.pid'),
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
      ERL_EPMD_ADDRESS: '127.0.0.1',
    };
  }

  static installed(): boolean {
    return SERVER_SCRIPTS.some((path) => existsSync(path));
  }

  /** Writes the node's files; `start()` boots it. */
  static async prepare(options: RabbitNodeOptions): Promise<RabbitNode> {
    const { dir } = options;
    await mkdir(dir, { recursive: true });
    const node = new RabbitNode(options, await freePort(), await freePort());
    await writeFile(
      join(dir, 'rabbitmq.conf'),
      [
        `listeners.tcp.default = 127.0.0.1:${node.port}`,
        'consumer_timeout = 43500000',
        // A cluster's nodes find each other only when told (join_cluster), never by discovery.
        'cluster_formation.peer_discovery_backend = classic_config',
        '',
      ].join('\n'),
    );
    await writeFile(join(dir, 'enabled_plugins'), '[].\n');
    await writeFile(join(dir, 'rabbitmq-env.conf'), '');
    const cookie = join(dir, '.erlang.cookie');
    await writeFile(cookie, options.cookie);
    await chmod(cookie, 0o400);
    return node;
  }

  get url(): string {
    return `amqp://guest:guest@127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  /** Boots the node and waits until it accepts AMQP connections. */
  async start(timeoutMs = 120_000): Promise<void> {
    const script = SERVER_SCRIPTS.find((path) => existsSync(path));
    if (!script) throw new Error('rabbitmq-server is not installed (run .ci/ensure-rabbitmq.sh)');
    const child = ownProcesses.spawn(script, [], { env: this.#env, cwd: this.#options.dir });
    this.#child = child;
    await waitUntil(
      `the RabbitMQ node ${this.nodeName} did not open port ${this.port}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`rabbitmq-server exited; see ${this.#options.dir}/log`);
        return (await portOpen(this.port)) && (await this.#acceptsAmqp());
      },
      timeoutMs,
      200,
    );
  }

  /** The port opens a moment before the node lets AMQP sessions in (it resets them until then). */
  async #acceptsAmqp(): Promise<boolean> {
    try {
      const connection = await amqp.connect(this.url, { timeout: 2_000 });
      await connection.close();
      return true;
    } catch {
      return false;
    }
  }

  /** SIGKILL of the whole node, a crash: nothing is flushed. Resolves when the port is closed. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child) return;
    await ownProcesses.kill(child);
    await waitUntil(`port ${this.port} still open after SIGKILL`, async () => !(await portOpen(this.port)), 10_000);
  }

  /** `rabbitmqctl -n <this node> …` (also rabbitmq-queues), with this node's cookie. */
  async ctl(args: readonly string[], tool: 'rabbitmqctl' | 'rabbitmq-queues' = 'rabbitmqctl'): Promise<string> {
    const dir = CTL_SCRIPTS.find((path) => existsSync(join(path, tool)));
    if (!dir) throw new Error(`${tool} is not installed`);
    const { stdout } = await run(join(dir, tool), ['-n', this.nodeName, ...args], {
      env: this.#env,
      timeout: 60_000,
    });
    return stdout;
  }
}
