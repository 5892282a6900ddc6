import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

/**
 * Every process a fault tool starts, each in its own process group (`detached`), so the tool can
 * kill exactly what it started — a broker with its helpers, a client — and nothing else. Whatever
 * way the tool exits, the `exit` hook SIGKILLs the groups still alive.
 */
class OwnProcesses {
  readonly #alive = new Set<ChildProcess>();

  spawn(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
    const child = spawn(command, [...args], { stdio: 'ignore', ...options, detached: true });
    child.on('error', () => undefined);
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    this.#alive.add(child);
    child.once('exit', () => this.#alive.delete(child));
    return child;
  }

  /** Signals the child's whole process group (a RabbitMQ node is a script, a VM and helpers). */
  signal(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.pid === undefined || !this.#alive.has(child)) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // the group is gone already
    }
  }

  /** SIGKILLs the group and resolves once the child has exited. */
  async kill(child: ChildProcess): Promise<void> {
    if (!this.#alive.has(child)) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.signal(child, 'SIGKILL');
    await exited;
  }

  killAllNow(): void {
    for (const child of this.#alive) this.signal(child, 'SIGKILL');
  }
}

export const ownProcesses = new OwnProcesses();
process.once('exit', () => ownProcesses.killAllNow());
