import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Whether the Redis binaries are installed (needed for private servers and clusters). */
export async function redisBinariesInstalled(): Promise<boolean> {
  try {
    await run('redis-server', ['--version']);
    await run('redis-cli', ['--version']);
    return true;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Whether a Redis server on host:port answers PING. */
export async function ping(port: number, timeoutMs = 500, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => socket.write('PING\r\n'));
    // A server with requirepass answers -NOAUTH: it is up all the same.
    socket.once('data', (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

export interface TlsServerFiles {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
  /** `tls-auth-clients yes`: clients must present a certificate signed by the CA. */
  readonly authClients?: boolean;
}

/** Whether a TLS Redis on 127.0.0.1:port completes a handshake and answers PING (any certificate). */
function tlsPing(port: number, files: TlsServerFiles, timeoutMs = 500): Promise<boolean> {
  const client = files.authClients ? { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) } : {};
  return new Promise((resolve) => {
    const options = { port, host: '127.0.0.1', rejectUnauthorized: false, ...client };
    const socket = tlsConnect(options, () => socket.write('PING\r\n'));
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

/** What a Sentinel started by `PrivateRedis` monitors. */
export interface SentinelOf {
  readonly masterName: string;
  readonly port: number;
  readonly quorum: number;
  /** `sentinel down-after-milliseconds`: how long a silent primary takes to count as down. */
  readonly downAfterMs: number;
}

export interface PrivateRedisOptions {
  readonly appendOnly?: boolean;
  readonly cluster?: boolean;
  /** `cluster-node-timeout`: how long a silent primary takes to be failed over. Default 5,000. */
  readonly clusterNodeTimeoutMs?: number | undefined;
  /** Serve TLS only (the plain port is 0); `ping` cannot check it, so startup waits for the log line. */
  readonly tls?: TlsServerFiles;
  readonly args?: readonly string[];
  /** Run as a Sentinel (`redis-server <conf> --sentinel`) monitoring this primary. */
  readonly sentinel?: SentinelOf;
}

/**
 * A redis-server of our own on a free loopback port with a private temp dir. `kill()` is a SIGKILL
 * (a crash); `start()` brings it back on the same port and dir, replaying its AOF.
 */
export class PrivateRedis {
  readonly port: number;
  readonly dir: string;
  readonly #options: PrivateRedisOptions;
  #busPort: number | undefined;
  #child: ChildProcess | undefined;

  private constructor(port: number, dir: string, options: PrivateRedisOptions) {
    this.port = port;
    this.dir = dir;
    this.#options = options;
  }

  static async start(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
    const dir = await mkdtemp(join(tmpdir(), 'msgport-redis-'));
    for (let attempt = 0; ; attempt++) {
      const server = new PrivateRedis(await freePort(), dir, options);
      try {
        await server.start();
        return server;
      } catch (error) {
        await server.kill();
        if (attempt >= 3) {
          await rm(dir, { recursive: true, force: true });
          throw error;
        }
      }
    }
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const tls = this.#options.tls;
    const args = [
      ...(await this.#sentinelConfig()),
      '--port',
      tls ? '0' : String(this.port),
      ...(tls
        ? [
            '--tls-port',
            String(this.port),
            '--tls-cert-file',
            tls.certFile,
            '--tls-key-file',
            tls.keyFile,
            '--tls-ca-cert-file',
            tls.caFile,
            '--tls-auth-clients',
            tls.authClients ? 'yes' : 'no',
          ]
        : []),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--save',
      '',
      '--daemonize',
      'no',
      '--logfile',
      join(this.dir, 'redis.log'),
      '--appendonly',
      this.#options.appendOnly ? 'yes' : 'no',
      '--appendfsync',
      'always',
      ...(this.#options.cluster
        ? [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            String(this.#options.clusterNodeTimeoutMs ?? 5000),
            // The bus port defaults to port + 10000, which may be taken or beyond 65535.
            '--cluster-port',
            String(await this.#clusterBusPort()),
          ]
        : []),
      ...(this.#options.args ?? []),
    ];
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    children.add(child);
    child.once('exit', () => children.delete(child));
    this.#child = child;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`redis-server on port ${this.port} exited (${child.exitCode})`);
      if (await (tls ? tlsPing(this.port, tls) : ping(this.port))) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server on port ${this.port} did not answer within 10 s`);
  }

  /** A Sentinel needs a config file of its own (it rewrites it); it comes first, with `--sentinel`. */
  async #sentinelConfig(): Promise<string[]> {
    const sentinel = this.#options.sentinel;
    if (!sentinel) return [];
    const file = join(this.dir, 'sentinel.conf');
    const { masterName: name } = sentinel;
    await writeFile(
      file,
      [
        `sentinel monitor ${name} 127.0.0.1 ${sentinel.port} ${sentinel.quorum}`,
        `sentinel down-after-milliseconds ${name} ${sentinel.downAfterMs}`,
        `sentinel failover-timeout ${name} 10000`,
        `sentinel parallel-syncs ${name} 1`,
        '',
      ].join('\n'),
      { flag: 'wx' },
    ).catch((error: { code?: string }) => {
      if (error.code !== 'EEXIST') throw error;
    });
    return [file, '--sentinel'];
  }

  /** The cluster bus port, chosen once so a restart keeps it. */
  async #clusterBusPort(): Promise<number> {
    if (this.#busPort === undefined) this.#busPort = await freePort();
    return this.#busPort;
  }

  /** SIGSTOP: the process keeps its sockets open but answers nothing (a hung server). */
  pause(): void {
    this.#child?.kill('SIGSTOP');
  }

  /** SIGCONT after `pause()`. */
  resume(): void {
    this.#child?.kill('SIGCONT');
  }

  /** SIGKILL, as a crash; resolves when the process is gone. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async destroy(): Promise<void> {
    await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Runs redis-cli with arguments; resolves its stdout. */
export async function redisCli(args: readonly string[]): Promise<string> {
  const { stdout } = await run('redis-cli', [...args], { timeout: 60_000 });
  return stdout;
}
