import { randomBytes, randomUUID } from 'node:crypto';
import {
  attributesSize,
  type DriverBatchResult,
  type DriverEntryResult,
  type DriverMessage,
  type DriverQueueInfo,
  type DriverReceiptEntry,
  type DriverSendEntry,
  type DriverSendResult,
  type DriverVisibilityEntry,
  eachEntry,
  entryFailure,
  LIMITS,
  type MessageAttributes,
  MessageNotInflightError,
  type MsgportError,
  PurgeInProgressError,
  purgeCooldownError,
  QueueAlreadyExistsError,
  type QueueConfig,
  QueueDoesNotExistError,
  ReceiptHandleIsInvalidError,
  sameQueueConfig,
  visibilityCapError,
} from '@msgport/core/driver';
import { type DriverContext, listRegistered, TRANSPORT_NAME } from './context.js';
import { encodeEnvelope, parseReceiptHandle } from './envelope.js';
import { messageIdOf, messageKey } from './message-key.js';
import { parseQueueConfig, serializeQueueConfig } from './queue-config-codec.js';
import { num, type ScriptArg, text } from './script-runner.js';
import { SCRIPTS } from './scripts/index.js';

const options = { transport: TRANSPORT_NAME };
const DEDUP_WINDOW_MS = LIMITS.deduplicationWindowSeconds * 1000;
const VISIBILITY_CAP_MS = LIMITS.visibilityTimeoutMaxSeconds * 1000;
const PURGE_COOLDOWN_MS = LIMITS.purgeCooldownSeconds * 1000;

/** One message to enqueue; `delaySeconds` -1 means the queue's default delay. */
export interface EnqueueSpec {
  readonly body: string;
  readonly attributes: MessageAttributes;
  readonly delaySeconds: number;
  readonly groupId?: string | undefined;
  readonly deduplicationId?: string | undefined;
}

export interface EnqueueOutcome {
  /** The entry exceeded the queue's maxMessageBytes and was not enqueued. */
  readonly dropped: boolean;
  readonly messageId: string;
  /** FIFO only, 20 digits. */
  readonly sequenceNumber: string | undefined;
}

export function missingQueue(name: string): QueueDoesNotExistError {
  return new QueueDoesNotExistError(`queue "${name}" does not exist`, options);
}

/** Queue lifecycle, sending, deleting, visibility changes, purge and stats. */
export class RedisQueues {
  readonly #context: DriverContext;

  constructor(context: DriverContext) {
    this.#context = context;
  }

  #keys(name: string): readonly string[] {
    return this.#context.keys.queueKeys(name);
  }

  async createQueue(name: string, config: QueueConfig): Promise<void> {
    const { calls, client, keys, scripts } = this.#context;
    // Registered first: a crash between the two steps leaves a name that listQueues skips.
    await calls.run(() => client.sadd(keys.queueRegistry, name));
    const reply = await scripts.run(SCRIPTS.createQueue, this.#keys(name), [
      serializeQueueConfig(config),
      randomBytes(8).toString('hex'),
      config.fifo ? 1 : 0,
      config.visibilityTimeoutSeconds,
      config.delaySeconds,
      config.retentionSeconds,
      config.deadLetter?.maxReceiveCount ?? 0,
      config.deadLetter?.queue ?? '',
      config.deduplicationScope,
      config.maxMessageBytes,
    ]);
    if (text(reply[0]) === 'EXISTS' && !sameQueueConfig(parseQueueConfig(text(reply[1])), config)) {
      throw new QueueAlreadyExistsError(`queue "${name}" already exists with different attributes`, options);
    }
  }

  async deleteQueue(name: string): Promise<void> {
    const { calls, client, keys, scripts } = this.#context;
    const reply = await scripts.run(SCRIPTS.deleteQueue, this.#keys(name), []);
    if (text(reply[0]) === 'NOQUEUE') throw missingQueue(name);
    // Blocked long polls took their wake-up tokens when the script ended (Redis serves them before
    // the next command); the unused tokens go now rather than linger.
    await calls.run(() => client.del(keys.queueKey(name, 'wake')));
    await calls.run(() => client.srem(keys.queueRegistry, name));
  }

  listQueues(prefix = ''): Promise<string[]> {
    const { keys } = this.#context;
    return listRegistered(this.#context, keys.queueRegistry, prefix, (name) => keys.queueKey(name, 'cfg'));
  }

  async getQueue(name: string): Promise<DriverQueueInfo> {
    const reply = await this.#context.scripts.run(SCRIPTS.stats, this.#keys(name), []);
    if (text(reply[0]) === 'NOQUEUE') throw missingQueue(name);
    const [, visible, inFlight, delayed, age, created, config] = reply;
    return {
      config: parseQueueConfig(text(config)),
      stats: {
        visible: num(visible),
        inFlight: num(inFlight),
        delayed: num(delayed),
        oldestMessageAgeSeconds: num(age),
        createdAt: new Date(num(created)),
      },
    };
  }

  /** Enqueues messages atomically; `undefined` when the queue does not exist. */
  async enqueue(name: string, specs: readonly EnqueueSpec[]): Promise<EnqueueOutcome[] | undefined> {
    const args: ScriptArg[] = [DEDUP_WINDOW_MS, specs.length];
    const ids: string[] = [];
    for (const spec of specs) {
      const id = randomUUID();
      ids.push(id);
      args.push(
        messageKey(id),
        encodeEnvelope(spec.body, spec.attributes, spec.deduplicationId),
        spec.delaySeconds,
        spec.groupId ?? '',
        spec.deduplicationId ?? '',
        Buffer.byteLength(spec.body) + attributesSize(spec.attributes),
      );
    }
    const reply = await this.#context.scripts.run(SCRIPTS.send, this.#keys(name), args);
    if (text(reply[0]) === 'NOQUEUE') return undefined;
    return ids.map((id, index) => {
      // 'ok', 'ok:<sequence>', 'dup:<key>:<sequence>' or 'drop'.
      const outcome = text(reply[1 + index]);
      if (outcome === 'drop') return { dropped: true, messageId: id, sequenceNumber: undefined };
      const [status, ...rest] = outcome.split(':');
      const sequence = rest.pop() ?? '0';
      return {
        dropped: false,
        messageId: status === 'dup' ? messageIdOf(rest.join(':')) : id,
        sequenceNumber: sequence === '0' ? undefined : sequence.padStart(20, '0'),
      };
    });
  }

  async sendBatch(name: string, entries: readonly DriverSendEntry[]): Promise<DriverBatchResult<DriverSendResult>> {
    const outcomes = await this.enqueue(name, entries);
    if (!outcomes) throw missingQueue(name);
    const result: DriverBatchResult<DriverSendResult> = { successful: [], failed: [] };
    entries.forEach((entry, index) => {
      const outcome = outcomes[index] as EnqueueOutcome;
      if (outcome.dropped) {
        result.failed.push({
          id: entry.id,
          code: 'MessageTooLong',
          message: `the message is larger than queue "${name}" accepts`,
          senderFault: true,
        });
        return;
      }
      result.successful.push({
        id: entry.id,
        messageId: outcome.messageId,
        ...(outcome.sequenceNumber !== undefined ? { sequenceNumber: outcome.sequenceNumber } : {}),
      });
    });
    return result;
  }

  /** Parses handles; unparsable ones fail alone. Returns the parsed entries and the failures. */
  #parse<E extends DriverReceiptEntry>(entries: readonly E[]) {
    const { successful: parsed, failed } = eachEntry(entries, (entry) => ({
      entry,
      handle: parseReceiptHandle(entry.receiptHandle, TRANSPORT_NAME),
    }));
    return { parsed, failed };
  }

  #foreign(name: string): string {
    return `the receipt handle does not belong to queue "${name}"`;
  }

  async deleteBatch(
    name: string,
    entries: readonly DriverReceiptEntry[],
  ): Promise<DriverBatchResult<DriverEntryResult>> {
    const { parsed, failed } = this.#parse(entries);
    const args: ScriptArg[] = [parsed.length];
    for (const { handle } of parsed) args.push(handle.incarnation, handle.receiveCount, messageKey(handle.messageId));
    const reply = await this.#context.scripts.run(SCRIPTS.deleteMessages, this.#keys(name), args);
    if (text(reply[0]) === 'NOQUEUE') throw missingQueue(name);
    const successful: DriverEntryResult[] = [];
    parsed.forEach(({ entry }, index) => {
      if (text(reply[1 + index]) === 'ok') successful.push({ id: entry.id });
      else failed.push(entryFailure(entry.id, new ReceiptHandleIsInvalidError(this.#foreign(name), options)));
    });
    return { successful, failed };
  }

  async changeVisibilityBatch(
    name: string,
    entries: readonly DriverVisibilityEntry[],
  ): Promise<DriverBatchResult<DriverEntryResult>> {
    const { parsed, failed } = this.#parse(entries);
    const args: ScriptArg[] = [VISIBILITY_CAP_MS, parsed.length];
    for (const { entry, handle } of parsed) {
      args.push(handle.incarnation, handle.receiveCount, messageKey(handle.messageId), entry.visibilityTimeoutSeconds);
    }
    const reply = await this.#context.scripts.run(SCRIPTS.changeVisibility, this.#keys(name), args);
    if (text(reply[0]) === 'NOQUEUE') throw missingQueue(name);
    const now = num(reply[1]);
    const successful: DriverEntryResult[] = [];
    parsed.forEach(({ entry }, index) => {
      const status = text(reply[2 + index * 2]);
      const detail = text(reply[3 + index * 2]);
      const error = this.#visibilityError(name, status, detail, entry.visibilityTimeoutSeconds, now);
      if (error) failed.push(entryFailure(entry.id, error));
      else successful.push({ id: entry.id });
    });
    return { successful, failed };
  }

  #visibilityError(
    name: string,
    status: string,
    detail: string,
    seconds: number,
    now: number,
  ): MsgportError | undefined {
    switch (status) {
      case 'ok':
        return undefined;
      case 'foreign':
        return new ReceiptHandleIsInvalidError(this.#foreign(name), options);
      case 'deleted':
        return new ReceiptHandleIsInvalidError('the message of this receipt handle was deleted', options);
      case 'stale':
        return new ReceiptHandleIsInvalidError(
          'the receipt handle has expired: the message was received again since',
          options,
        );
      case 'notinflight':
        return new MessageNotInflightError(
          'the message is not in flight: its visibility timeout already expired',
          options,
        );
      case 'toolong':
        // The script refused it by the same rule, so the kit's rule gives its error.
        return visibilityCapError(Number(detail), now, seconds, options);
      default:
        throw new Error(`unexpected change-visibility status "${status}"`);
    }
  }

  /** Makes messages visible again (an aborted long poll received them); best effort. */
  async release(name: string, messages: readonly DriverMessage[]): Promise<void> {
    await this.changeVisibilityBatch(
      name,
      messages.map((message, index) => ({
        id: `r${index}`,
        receiptHandle: message.receiptHandle,
        visibilityTimeoutSeconds: 0,
      })),
    );
  }

  async purge(name: string): Promise<void> {
    const reply = await this.#context.scripts.run(SCRIPTS.purge, this.#keys(name), [PURGE_COOLDOWN_MS]);
    const status = text(reply[0]);
    if (status === 'NOQUEUE') throw missingQueue(name);
    if (status === 'PURGING') {
      // The script refused it by the same rule (its clock): the kit's rule gives the error.
      throw (
        purgeCooldownError(name, num(reply[1]), num(reply[2]), options) ??
        new PurgeInProgressError(`queue "${name}" is being purged`, options)
      );
    }
  }
}
