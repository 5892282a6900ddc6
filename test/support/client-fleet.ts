import type { ClientArgs } from './client-args.js';
import { ClientProcess } from './client-process.js';

/**
 * The producer and consumer processes of a run. Consumers killed by the tool are replaced at once;
 * one that died by itself (a crash, an unhandled error) is counted and replaced too, since that is
 * the process restart a user would have needed.
 */
export class ClientFleet {
  readonly #dir: string;
  readonly #args: Omit<ClientArgs, 'log'>;
  readonly all: ClientProcess[] = [];
  #started = 0;
  /** Set by killAll(): the run is being torn down, no replacement may start. */
  #closed = false;
  killed = 0;
  diedByThemselves: ClientProcess[] = [];

  constructor(dir: string, args: Omit<ClientArgs, 'log'>) {
    this.#dir = dir;
    this.#args = args;
  }

  get consumers(): ClientProcess[] {
    return this.all.filter((client) => client.role === 'consumer' && client.running);
  }

  get producer(): ClientProcess | undefined {
    return this.all.find((client) => client.role === 'producer');
  }

  startProducer(extra: Omit<ClientArgs, 'log' | 'url' | 'queue'>): ClientProcess {
    const producer = ClientProcess.start('producer', this.#dir, 'producer', { ...this.#args, ...extra });
    this.all.push(producer);
    return producer;
  }

  startConsumer(): ClientProcess | undefined {
    if (this.#closed) return undefined;
    this.#started++;
    const consumer = ClientProcess.start('consumer', this.#dir, `consumer-${this.#started}`, this.#args);
    this.all.push(consumer);
    return consumer;
  }

  /** SIGKILLs the consumer `pick` chooses among the running ones and starts its replacement. */
  async killConsumer(pick: (count: number) => number): Promise<ClientProcess | undefined> {
    const running = this.consumers;
    const victim = running[pick(running.length)];
    if (!victim) return undefined;
    this.killed++;
    await victim.sigkill();
    this.startConsumer();
    return victim;
  }

  /** Replaces consumers that ended without being killed; returns how many. */
  replaceDead(): number {
    const dead = this.all.filter(
      (client) => client.role === 'consumer' && client.diedByItself && !this.diedByThemselves.includes(client),
    );
    for (const client of dead) {
      this.diedByThemselves.push(client);
      this.startConsumer();
    }
    return dead.length;
  }

  /** Graceful stop of every client still running (SIGKILL after the grace period). */
  async stopAll(graceMs = 10_000): Promise<void> {
    await Promise.all(this.all.map((client) => client.stop(graceMs)));
  }

  async killAll(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.all.filter((client) => client.running).map((client) => client.sigkill()));
  }
}
