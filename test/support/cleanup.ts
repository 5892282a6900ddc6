import { ownProcesses } from './own-processes.js';

type Action = () => Promise<void> | void;

/**
 * What a run must undo (servers, proxies, temp dirs), undone in reverse order exactly once:
 * after a normal end, an error, or a signal. Each step is bounded so a stuck one cannot keep
 * the others from running.
 */
export class Cleanup {
  readonly #actions: { what: string; action: Action }[] = [];
  #running: Promise<void> | undefined;

  defer(what: string, action: Action): void {
    this.#actions.push({ what, action });
  }

  run(): Promise<void> {
    this.#running ??= this.#runAll();
    return this.#running;
  }

  async #runAll(): Promise<void> {
    for (const { what, action } of this.#actions.reverse()) {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          console.error(`cleanup: ${what} did not finish within 30 s`);
          resolve();
        }, 30_000);
      });
      try {
        await Promise.race([Promise.resolve().then(action), limit]);
      } catch (error) {
        console.error(`cleanup: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        clearTimeout(timer);
      }
    }
    ownProcesses.killAllNow();
  }

  /** For a command-line tool: SIGINT, SIGTERM and uncaught errors clean up, then exit. */
  exitOnSignals(): void {
    const bail = (code: number) => {
      void this.run().finally(() => process.exit(code));
    };
    let interrupting = false;
    const interrupted = (signal: string, code: number) => {
      if (interrupting) return;
      interrupting = true;
      console.error(`${signal}: stopping the clients and servers, removing the run directory`);
      bail(code);
    };
    // on, not once: a terminal's Ctrl-C may arrive twice (from the terminal and relayed by tsx).
    process.on('SIGINT', () => interrupted('SIGINT', 130));
    process.on('SIGTERM', () => interrupted('SIGTERM', 143));
    process.once('uncaughtException', (error) => {
      console.error(error);
      bail(1);
    });
    process.once('unhandledRejection', (error) => {
      console.error(error);
      bail(1);
    });
  }
}
