import type { Codec } from './codecs.js';
import { contentDeduplicationId } from './digests.js';
import type { DriverPublishEntry, DriverSendEntry } from './driver/driver.js';
import { InvalidParameterError, isMsgportError, MessageTooLongError, UnsupportedCapabilityError } from './errors.js';
import { LIMITS } from './limits.js';
import type { MessageAttributesInput } from './message-attributes.js';
import type { QueueConfig } from './queue-config.js';
import type { TopicConfig } from './topic-config.js';
import { activeTraceEntries, type TraceEntry, withTraceContext } from './tracing/trace-context.js';
import { attributesSize, normalizeAttributes } from './validation/attributes.js';
import { assertBody, findForbiddenChar, utf8Length } from './validation/body.js';
import { isPlainObject } from './validation/options.js';
import { assertIntegerInRange, describe } from './validation/ranges.js';

export interface SendOptions {
  readonly attributes?: MessageAttributesInput;
  /** 0–900; standard queues only (FIFO queues take the queue's delay). */
  readonly delaySeconds?: number;
  /** Required on FIFO queues; on standard queues it interleaves tenants (fair queues). */
  readonly groupId?: string;
  /** FIFO only; required unless the queue has content-based deduplication. */
  readonly deduplicationId?: string;
}

export interface PublishOptions {
  readonly attributes?: MessageAttributesInput;
  readonly subject?: string;
  readonly groupId?: string;
  readonly deduplicationId?: string;
}

// MessageGroupId and MessageDeduplicationId: alphanumerics and ASCII punctuation, as SQS documents.
const ID_CHARS = /^[\x21-\x7E]+$/;

function assertFifoId(name: string, value: unknown, maxLength: number): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength || !ID_CHARS.test(value)) {
    throw new InvalidParameterError(
      `${name} must be 1 to ${maxLength} letters, digits or ASCII punctuation characters, got ${describe(value)}`,
    );
  }
}

interface Identity {
  readonly groupId?: string;
  readonly deduplicationId?: string;
}

const NO_IDENTITY: Identity = Object.freeze({});

function resolveIdentity(
  kind: 'queue' | 'topic',
  fifo: boolean,
  contentBased: boolean,
  body: string,
  options: { groupId?: string | null | undefined; deduplicationId?: string | null | undefined },
): Identity {
  // null, like undefined, means "not given"
  const groupId = options.groupId ?? undefined;
  const givenDeduplicationId = options.deduplicationId ?? undefined;
  if (groupId !== undefined) assertFifoId('groupId', groupId, LIMITS.groupIdMaxLength);
  if (givenDeduplicationId !== undefined) {
    assertFifoId('deduplicationId', givenDeduplicationId, LIMITS.deduplicationIdMaxLength);
  }
  if (!fifo) {
    if (givenDeduplicationId !== undefined) {
      throw new InvalidParameterError(`deduplicationId applies to FIFO ${kind}s only`);
    }
    return groupId !== undefined ? { groupId } : NO_IDENTITY;
  }
  if (groupId === undefined) throw new InvalidParameterError(`messages on a FIFO ${kind} need a groupId`);
  const deduplicationId = givenDeduplicationId ?? (contentBased ? contentDeduplicationId(body) : undefined);
  if (deduplicationId === undefined) {
    throw new InvalidParameterError(
      `messages on a FIFO ${kind} need a deduplicationId unless the ${kind} has contentBasedDeduplication`,
    );
  }
  return { groupId, deduplicationId };
}

/**
 * What one batch's entries share and add up while they are prepared: the trace context, read once,
 * and the bytes of the prepared entries (body and attributes, as `sendEntrySize` counts them), so
 * chunking need not measure them again.
 */
export interface BatchTally {
  readonly trace: readonly TraceEntry[];
  bytes: number;
}

export function batchTally(): BatchTally {
  return { trace: activeTraceEntries(), bytes: 0 };
}

export function prepareSendEntry(
  id: string,
  body: string,
  options: SendOptions,
  config: QueueConfig,
  maxDelaySeconds: number,
  tally?: BatchTally,
): DriverSendEntry {
  assertBody(body);
  const given = normalizeAttributes(attributesInput(options.attributes), 'queue');
  const size = utf8Length(body) + attributesSize(given);
  if (size > config.maxMessageBytes) {
    throw new MessageTooLongError(
      `message is ${size} bytes (body and attributes); this queue accepts at most ${config.maxMessageBytes}`,
    );
  }
  let delaySeconds = config.delaySeconds;
  if (options.delaySeconds != null) {
    assertIntegerInRange('delaySeconds', options.delaySeconds, 0, LIMITS.delayMaxSeconds);
    if (config.fifo && options.delaySeconds !== 0) {
      throw new InvalidParameterError(
        'FIFO queues do not take a per-message delaySeconds; set the queue delay instead',
      );
    }
    if (options.delaySeconds > maxDelaySeconds) {
      throw new UnsupportedCapabilityError(`this transport delays messages by at most ${maxDelaySeconds} seconds`);
    }
    if (!config.fifo) delaySeconds = options.delaySeconds;
  }
  const identity = resolveIdentity('queue', config.fifo, config.contentBasedDeduplication, body, options);
  const attributes = withTraceContext(given, config.maxMessageBytes - size, tally?.trace);
  if (tally) tally.bytes += attributes === given ? size : utf8Length(body) + attributesSize(attributes);
  const entry: { -readonly [K in keyof DriverSendEntry]: DriverSendEntry[K] } = { id, body, attributes, delaySeconds };
  if (identity.groupId !== undefined) entry.groupId = identity.groupId;
  if (identity.deduplicationId !== undefined) entry.deduplicationId = identity.deduplicationId;
  return entry;
}

export function preparePublishEntry(
  id: string,
  body: string,
  options: PublishOptions,
  config: TopicConfig,
): DriverPublishEntry {
  assertBody(body);
  const given = normalizeAttributes(attributesInput(options.attributes), 'topic');
  const size = utf8Length(body) + attributesSize(given);
  if (size > LIMITS.topicMessageBytesMax) {
    throw new MessageTooLongError(
      `message is ${size} bytes (body and attributes); topics accept at most ${LIMITS.topicMessageBytesMax}`,
    );
  }
  const subject = options.subject ?? undefined;
  if (subject !== undefined) {
    if (
      typeof subject !== 'string' ||
      subject.length === 0 ||
      subject.length > LIMITS.subjectMaxLength ||
      hasControlCharacter(subject) ||
      findForbiddenChar(subject) >= 0
    ) {
      throw new InvalidParameterError(
        `subject must be 1 to ${LIMITS.subjectMaxLength} characters without line breaks or control characters`,
      );
    }
  }
  const identity = resolveIdentity('topic', config.fifo, config.contentBasedDeduplication, body, options);
  const attributes = withTraceContext(given, LIMITS.topicMessageBytesMax - size);
  return { id, body, attributes, ...(subject !== undefined ? { subject } : {}), ...identity };
}

/** The `attributes` option before normalization: absent (`undefined` or `null`) or a plain object. */
function attributesInput(input: unknown): MessageAttributesInput | undefined {
  if (input === undefined || input === null) return undefined;
  if (!isPlainObject(input)) throw new InvalidParameterError(`attributes must be an object, got ${describe(input)}`);
  return input as MessageAttributesInput;
}

/** A body through the handle's codec; a codec that throws something untyped is the caller's input error. */
export function encodeBody<T>(codec: Codec<T>, body: T): string {
  try {
    return codec.encode(body);
  } catch (error) {
    if (isMsgportError(error)) throw error;
    throw new InvalidParameterError(`the ${codec.name} codec cannot encode this body`, { cause: error });
  }
}

export function sendEntrySize(entry: {
  readonly body: string;
  readonly attributes: DriverSendEntry['attributes'];
}): number {
  return utf8Length(entry.body) + attributesSize(entry.attributes);
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
