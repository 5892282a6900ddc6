import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built bin, as `pnpm exec msgport` runs it. */
export const BIN = fileURLToPath(new URL('../../bin/msgport.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliProcess {
  readonly child: ChildProcess;
  readonly done: Promise<CliResult>;
  /** Resolves with stdout so far once it matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/** Spawns `msgport …args` (stdin is a pipe, so not a terminal). */
export function startCli(args: readonly string[], input?: string): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin?.end(input ?? '');
  const done = new Promise<CliResult>((resolve) => {
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        if (!pattern.test(stdout)) return;
        listeners.delete(check);
        clearTimeout(timer);
        resolve(stdout);
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`timed out waiting for ${pattern}; stdout: ${stdout}; stderr: ${stderr}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  return { child, done, waitFor };
}

/** Runs `msgport …args` to the end. */
export function runCli(args: readonly string[], input?: string): Promise<CliResult> {
  return startCli(args, input).done;
}
