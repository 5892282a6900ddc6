import type { DriverSendResult } from '../driver/driver.js';
import { createError, type ErrorCode, isMsgportError } from '../errors.js';
import type { BatchResult } from '../run-batch.js';

/** What a mirror does when the secondary rejects what the primary accepted. */
export type SecondaryFailurePolicy = 'report' | 'throw';

/** One entry the primary accepted and the secondary did not: it exists on the primary only. */
export interface MirrorFailedEntry<E> {
  /** The entry as the caller gave it (body and options). */
  readonly entry: E;
  /** The message id the primary gave it. */
  readonly primaryMessageId: string;
  readonly code: ErrorCode;
  readonly message: string;
}

/** Reported once per send or publish call whose entries did not all reach the secondary. */
export interface MirrorFailure<E> {
  readonly operation: 'send' | 'publish';
  /** Name of the secondary queue or topic. */
  readonly target: string;
  readonly entries: readonly MirrorFailedEntry<E>[];
}

interface MirrorOptionsBase {
  /**
   * Name of a String message attribute set to the primary's message id on every secondary copy,
   * so consumers of the secondary can tell mirrored copies from messages sent to it directly (and
   * correlate the two). Default: none, the copies carry the caller's attributes only.
   */
  readonly secondaryAttribute?: string;
}

/**
 * `report` (the default): the call succeeds with the primary's result and `onFailure` receives
 * every entry the secondary rejected. `throw`: `onFailure` (optional) is called, then the call
 * rejects with the secondary's error code although the primary holds the message.
 */
export type MirrorOptions<E> = MirrorOptionsBase &
  (
    | { readonly onSecondaryFailure?: 'report'; readonly onFailure: (failure: MirrorFailure<E>) => void }
    | { readonly onSecondaryFailure: 'throw'; readonly onFailure?: (failure: MirrorFailure<E>) => void }
  );

/** How many messages a mirror wrote to each side, and how many reached the primary only. */
export interface MirrorCounts {
  readonly primary: number;
  readonly secondary: number;
  readonly failed: number;
}

type Entry = { readonly id: string };

/** Writes what the primary accepted to the secondary, then reports (and maybe throws) what the secondary refused. */
export class MirrorWriter<E extends Entry> {
  readonly #operation: 'send' | 'publish';
  readonly #options: MirrorOptions<E>;
  #counts = { primary: 0, secondary: 0, failed: 0 };

  constructor(operation: 'send' | 'publish', options: MirrorOptions<E>) {
    if (options.onSecondaryFailure !== 'throw' && typeof options.onFailure !== 'function') {
      throw createError(
        'InvalidParameter',
        'a mirror that reports secondary failures needs an onFailure callback (or onSecondaryFailure: "throw")',
      );
    }
    this.#operation = operation;
    this.#options = options;
  }

  counts(): MirrorCounts {
    return { ...this.#counts };
  }

  /**
   * `primary` has already run; `write` sends the accepted entries (same ids) to the secondary.
   * Returns the primary's result unless the policy is `throw` and something failed.
   */
  async mirror(
    entries: readonly E[],
    primary: BatchResult<DriverSendResult>,
    target: { readonly name: string; readonly transport?: string },
    write: (accepted: E[]) => Promise<BatchResult<{ readonly id: string }>>,
  ): Promise<BatchResult<DriverSendResult>> {
    this.#counts.primary += primary.successful.length;
    const messageIds = new Map(primary.successful.map((sent) => [sent.id, sent.messageId]));
    const accepted = entries.filter((entry) => messageIds.has(entry.id)).map((entry) => this.#tag(entry, messageIds));
    if (accepted.length === 0) return primary;
    let refused: { id: string; code: ErrorCode; message: string }[];
    try {
      refused = (await write(accepted)).failed;
    } catch (error) {
      const code: ErrorCode = isMsgportError(error) ? error.code : 'Internal';
      const message = error instanceof Error ? error.message : String(error);
      refused = accepted.map((entry) => ({ id: entry.id, code, message }));
    }
    this.#counts.secondary += accepted.length - refused.length;
    this.#counts.failed += refused.length;
    if (refused.length === 0) return primary;
    const byId = new Map(entries.map((entry) => [entry.id, entry]));
    const failure: MirrorFailure<E> = {
      operation: this.#operation,
      target: target.name,
      entries: refused.map((item) => ({
        entry: byId.get(item.id) as E,
        primaryMessageId: messageIds.get(item.id) as string,
        code: item.code,
        message: item.message,
      })),
    };
    this.#options.onFailure?.(failure);
    if (this.#options.onSecondaryFailure === 'throw') {
      const first = failure.entries[0] as MirrorFailedEntry<E>;
      throw createError(
        first.code,
        `${refused.length} of ${accepted.length} messages reached the primary but not the secondary "${target.name}" (first: primary message ${first.primaryMessageId}): ${first.message}`,
        target.transport !== undefined ? { transport: target.transport } : {},
      );
    }
    return primary;
  }

  #tag(entry: E, messageIds: ReadonlyMap<string, string>): E {
    const name = this.#options.secondaryAttribute;
    if (name === undefined) return entry;
    const withAttributes = entry as E & { readonly attributes?: Readonly<Record<string, unknown>> };
    return { ...entry, attributes: { ...withAttributes.attributes, [name]: messageIds.get(entry.id) } };
  }
}
