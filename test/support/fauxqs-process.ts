import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, portOpen, waitUntil } from './free-port.js';
import { ownProcesses } from './own-processes.js';

const here = dirname(fileURLToPath(import.meta.url));

/** fauxqs as a separate server process on a free loopback port; it keeps nothing across restarts. */
export class FauxqsProcess {
  readonly port: number;
  readonly #child: ChildProcess;

  private constructor(port: number, child: ChildProcess) {
    this.port = port;
    this.#child = child;
  }

  static async start(): Promise<FauxqsProcess> {
    const port = await freePort();
    const child = ownProcesses.spawn(
      process.execPath,
      ['--import', 'tsx', join(here, 'fauxqs-server.ts'), String(port)],
      {
        cwd: dirname(here),
      },
    );
    await waitUntil(
      `fauxqs did not listen on port ${port}`,
      () => {
        if (child.exitCode !== null) throw new Error('fauxqs exited at start');
        return portOpen(port);
      },
      30_000,
    );
    return new FauxqsProcess(port, child);
  }

  /** The sqs:// URL of an endpoint on `port` (this server's, or a proxy's in front of it). */
  static url(port: number): string {
    const params = new URLSearchParams({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      accessKeyId: 'test',
      secretAccessKey: 'test',
    });
    return `sqs://?${params}`;
  }

  async stop(): Promise<void> {
    await ownProcesses.kill(this.#child);
  }
}
