import type { RedisCalls } from './calls.js';
import { isCluster, primaryFor, type RedisClient } from './connection.js';
import type { LuaScript } from './scripts/index.js';

export type ScriptArg = string | number;
export type ScriptReply = readonly unknown[];

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/** `?waitForReplicas=N`: writes that must survive a failover are confirmed by N replicas (WAIT). */
export interface ReplicaAcks {
  readonly replicas: number;
  /** WAIT's own timeout; after it the write counts as done (it is on the primary) and `shortfall` runs. */
  readonly timeoutMs: number;
  shortfall(acknowledged: number): void;
}

/** After WAIT came back short, writes on that primary go unconfirmed this long before WAIT is tried again. */
const UNCONFIRMED_BACKOFF_MS = 5_000;

const NO_REPLICA_ACKS: ReplicaAcks = { replicas: 0, timeoutMs: 0, shortfall: () => undefined };

/**
 * Runs scripts by EVALSHA and falls back to EVAL (which also caches the script) when the server
 * answers NOSCRIPT — after a restart, a failover or SCRIPT FLUSH. Callers never see NOSCRIPT.
 * Works for a single server and for a cluster client, which routes by the first key. Each run
 * goes through the driver's `RedisCalls`: deadline, failover window, typed connection errors.
 */
export class ScriptRunner {
  readonly #client: RedisClient;
  readonly #calls: RedisCalls;
  readonly #acks: ReplicaAcks;
  /** Primaries that recently had too few replicas: writes there skip WAIT until then. */
  readonly #unconfirmedUntil = new WeakMap<object, number>();

  constructor(client: RedisClient, calls: RedisCalls, acks: ReplicaAcks = NO_REPLICA_ACKS) {
    this.#client = client;
    this.#calls = calls;
    this.#acks = acks;
  }

  async run(script: LuaScript, keys: readonly string[], args: readonly ScriptArg[]): Promise<ScriptReply> {
    // EVALSHA's arguments, built once (EVAL takes the same with the source in place of the SHA).
    const command = new Array<ScriptArg>(2 + keys.length + args.length);
    command[0] = script.sha;
    command[1] = keys.length;
    for (let i = 0; i < keys.length; i++) command[2 + i] = keys[i] as string;
    for (let i = 0; i < args.length; i++) command[2 + keys.length + i] = args[i] as ScriptArg;
    const replicated = script.mustReplicate && this.#acks.replicas > 0;
    const reply = await this.#calls.run(() =>
      replicated ? this.#runReplicated(script, keys, command) : this.#evaluate(script, command),
    );
    if (!Array.isArray(reply)) throw new Error(`script ${script.name} returned ${typeof reply}, expected a list`);
    return reply;
  }

  /**
   * The script, then `WAIT replicas timeout` on the same connection (on a cluster, the one to the
   * primary of the keys' slot), which covers every write sent on it before. A connection lost
   * before the replicas confirmed fails the attempt, and the failover window repeats it on the
   * new primary (the scripts are safe to repeat).
   */
  async #runReplicated(script: LuaScript, keys: readonly string[], command: ScriptArg[]): Promise<unknown> {
    const { replicas, timeoutMs } = this.#acks;
    const reply = await this.#evaluate(script, command);
    const connection = isCluster(this.#client) ? primaryFor(this.#client, keys[0] ?? '') : this.#client;
    if ((this.#unconfirmedUntil.get(connection) ?? 0) > Date.now()) return reply;
    const acknowledged = Number(await connection.call('WAIT', replicas, timeoutMs));
    if (acknowledged < replicas) {
      // Too few replicas (e.g. the new primary right after a failover): do not make every write
      // wait for the timeout; try again a little later.
      this.#unconfirmedUntil.set(connection, Date.now() + UNCONFIRMED_BACKOFF_MS);
      this.#acks.shortfall(acknowledged);
    }
    return reply;
  }

  /** `command`: the SHA, the key count, the keys, the arguments. */
  async #evaluate(script: LuaScript, command: ScriptArg[]): Promise<unknown> {
    try {
      return await this.#client.call('EVALSHA', command);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      const withSource = [...command];
      withSource[0] = script.source;
      return await this.#client.call('EVAL', withSource);
    }
  }
}

/** Reads a reply field as text (Redis returns numbers for Lua integers). */
export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (value === null || value === undefined || value === false) return '';
  throw new Error(`unexpected script reply field ${typeof value}`);
}

export function num(value: unknown): number {
  const parsed = Number(text(value));
  if (!Number.isFinite(parsed)) throw new Error(`unexpected non-numeric script reply field "${text(value)}"`);
  return parsed;
}
