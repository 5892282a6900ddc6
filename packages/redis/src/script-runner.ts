import { scrubError } from './classify-error.js';
import type { RedisClient } from './connection.js';
import type { LuaScript } from './scripts/index.js';

export type ScriptArg = string | number;
export type ScriptReply = readonly unknown[];

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * Runs scripts by EVALSHA and falls back to EVAL (which also caches the script) when the server
 * answers NOSCRIPT — after a restart, a failover or SCRIPT FLUSH. Callers never see NOSCRIPT.
 * Works for a single server and for a cluster client, which routes by the first key.
 */
export class ScriptRunner {
  readonly #client: RedisClient;

  constructor(client: RedisClient) {
    this.#client = client;
  }

  async run(script: LuaScript, keys: readonly string[], args: readonly ScriptArg[]): Promise<ScriptReply> {
    const tail = [keys.length, ...keys, ...args];
    let reply: unknown;
    try {
      try {
        reply = await this.#client.call('EVALSHA', [script.sha, ...tail]);
      } catch (error) {
        if (!isNoScript(error)) throw error;
        reply = await this.#client.call('EVAL', [script.source, ...tail]);
      }
    } catch (error) {
      throw scrubError(error);
    }
    if (!Array.isArray(reply)) throw new Error(`script ${script.name} returned ${typeof reply}, expected a list`);
    return reply;
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
