import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitUntil } from './free-port.js';
import { ownProcesses } from './own-processes.js';

const run = promisify(execFile);

/** Runs redis-cli against a loopback port; resolves its trimmed stdout. */
export async function redisCli(port: number, args: readonly string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 10_000 });
  return stdout.trim();
}

export interface RedisProcessOptions {
  /** Directory of its own (AOF, logs, nodes.conf); created if missing. */
  readonly dir: string;
  /** Server arguments after port, bind and dir, e.g. `['--appendonly', 'yes']`. */
  readonly args?: readonly string[];
  /** Sentinel mode: the configuration file's content (port, bind and dir are added). */
  readonly sentinelConfig?: string;
}

/**
 * A redis-server (or sentinel) of the tool's own on a free loopback port. `kill()` is a SIGKILL, a
 * crash; `start()` brings it back on the same port and directory, replaying its AOF.
 */
export class RedisProcess {
  readonly port: number;
  readonly #options: RedisProcessOptions;
  #child: ChildProcess | undefined;
  #started = false;

  private constructor(port: number, options: RedisProcessOptions) {
    this.port = port;
    this.#options = options;
  }

  static async start(options: RedisProcessOptions): Promise<RedisProcess> {
    await mkdir(options.dir, { recursive: true });
    const server = new RedisProcess(await freePort(), options);
    await server.start();
    return server;
  }

  get dir(): string {
    return this.#options.dir;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  async start(): Promise<void> {
    const { dir, args = [], sentinelConfig } = this.#options;
    const base = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', dir, '--daemonize', 'no'];
    let argv: string[];
    if (sentinelConfig !== undefined) {
      // A sentinel rewrites its configuration file; keep the first one only.
      const config = join(dir, 'sentinel.conf');
      if (!this.#started) await writeFile(config, `${sentinelConfig}\n`);
      argv = [config, '--sentinel', ...base, '--logfile', join(dir, 'sentinel.log'), ...args];
    } else {
      argv = [...base, '--logfile', join(dir, 'redis.log'), ...args];
    }
    this.#started = true;
    const child = ownProcesses.spawn('redis-server', argv);
    this.#child = child;
    await waitUntil(
      `redis-server on port ${this.port} did not answer PING`,
      async () => {
        if (child.exitCode !== null) throw new Error(`redis-server on port ${this.port} exited; see ${dir}`);
        return (await redisCli(this.port, ['PING']).catch(() => '')) === 'PONG';
      },
      20_000,
      50,
    );
  }

  /** SIGKILL, as a crash; resolves when the process is gone. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child) await ownProcesses.kill(child);
  }
}
