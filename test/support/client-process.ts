import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClientArgs } from './client-args.js';
import { ownProcesses } from './own-processes.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The fault tools' package: clients run from here so `connect(url)` finds the transport packages. */
const TOOLS_DIR = dirname(here);
const ENTRY = { producer: join(here, 'producer-process.ts'), consumer: join(here, 'consumer-process.ts') };

export type ClientRole = keyof typeof ENTRY;

/** A producer or consumer child process, its event log and how it ended. */
export class ClientProcess {
  readonly role: ClientRole;
  readonly child: ChildProcess;
  readonly log: string;
  killedByTool = false;
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly exited: Promise<void>;

  private constructor(role: ClientRole, child: ChildProcess, log: string) {
    this.role = role;
    this.child = child;
    this.log = log;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve();
      });
    });
  }

  /** Starts `role` with its own log file `<dir>/<name>.log` (stderr to `<name>.stderr`). */
  static start(role: ClientRole, dir: string, name: string, args: Omit<ClientArgs, 'log'>): ClientProcess {
    const log = join(dir, `${name}.log`);
    const stderr = openSync(join(dir, `${name}.stderr`), 'a');
    const child = ownProcesses.spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', ENTRY[role], JSON.stringify({ ...args, log })],
      {
        cwd: TOOLS_DIR,
        stdio: ['ignore', 'ignore', stderr],
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      },
    );
    closeSync(stderr);
    return new ClientProcess(role, child, log);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Ended by itself (a crash, an unhandled error), not by the tool. */
  get diedByItself(): boolean {
    return this.exit !== undefined && !this.killedByTool && !(this.role === 'producer' && this.exit.code === 0);
  }

  async sigkill(): Promise<void> {
    this.killedByTool = true;
    await ownProcesses.kill(this.child);
  }

  /** SIGTERM (a graceful stop), then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.killedByTool = true;
    ownProcesses.signal(this.child, 'SIGTERM');
    const timer = setTimeout(() => ownProcesses.signal(this.child, 'SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
