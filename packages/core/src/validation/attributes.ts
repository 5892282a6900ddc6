import { InvalidMessageContentsError, InvalidParameterError } from '../errors.js';
import { LIMITS } from '../limits.js';
import type {
  MessageAttributeInput,
  MessageAttributes,
  MessageAttributesInput,
  MessageAttributeValue,
} from '../message-attributes.js';
import { findForbiddenChar, utf8Length } from './body.js';
import { quote } from './ranges.js';

const NAME_CHARS = /^[A-Za-z0-9_.-]+$/;
const RESERVED_PREFIX = /^(aws|amazon)\./i;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export type AttributeTarget = 'queue' | 'topic';

const NO_ATTRIBUTES: MessageAttributes = Object.freeze({});

function assertAttributeName(name: string): void {
  if (name.length === 0 || name.length > LIMITS.attributeNameMaxLength) {
    throw new InvalidParameterError(`attribute name must be 1 to ${LIMITS.attributeNameMaxLength} characters`);
  }
  if (!NAME_CHARS.test(name)) {
    throw new InvalidParameterError(`attribute name ${quote(name)} may only contain letters, digits, "_", "-" and "."`);
  }
  if (RESERVED_PREFIX.test(name)) {
    throw new InvalidParameterError(`attribute name ${quote(name)} must not start with "AWS." or "Amazon."`);
  }
  if (name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
    throw new InvalidParameterError(`attribute name ${quote(name)} must not start or end with "." or contain ".."`);
  }
}

/** On topics `String.Array` is a type of its own; on queues it is a String with the label "Array", as on SQS. */
function baseType(dataType: string, target: AttributeTarget): string {
  if (target === 'topic' && (dataType === 'String.Array' || dataType.startsWith('String.Array.')))
    return 'String.Array';
  return dataType.split('.', 1)[0] ?? '';
}

function assertAttributeValue(name: string, value: MessageAttributeValue, target: AttributeTarget): void {
  const { dataType } = value;
  if (typeof dataType !== 'string' || dataType.length === 0 || dataType.length > LIMITS.attributeTypeMaxLength) {
    throw new InvalidParameterError(
      `attribute "${name}" needs a data type of 1 to ${LIMITS.attributeTypeMaxLength} characters`,
    );
  }
  const base = baseType(dataType, target);
  const allowed = target === 'topic' ? ['String', 'Number', 'Binary', 'String.Array'] : ['String', 'Number', 'Binary'];
  if (!allowed.includes(base) || (dataType.length > base.length && dataType[base.length] !== '.')) {
    throw new InvalidParameterError(
      `attribute "${name}" has data type ${quote(dataType)}; use ${allowed.join(', ')} (optionally with a ".label")`,
    );
  }
  if (base === 'Binary') {
    if (!(value.binaryValue instanceof Uint8Array) || value.binaryValue.length === 0) {
      throw new InvalidParameterError(`attribute "${name}" of type Binary needs a non-empty binaryValue`);
    }
    return;
  }
  const text = value.stringValue;
  if (typeof text !== 'string' || text.length === 0) {
    throw new InvalidParameterError(`attribute "${name}" of type ${dataType} needs a non-empty stringValue`);
  }
  if (findForbiddenChar(text) >= 0 || findForbiddenChar(dataType) >= 0) {
    throw new InvalidMessageContentsError(`attribute "${name}" contains characters SQS does not allow`);
  }
  if (base === 'Number' && !NUMBER_TEXT.test(text.trim())) {
    throw new InvalidParameterError(`attribute "${name}" of type Number has a non-numeric value`);
  }
  if (base === 'String.Array') assertStringArray(name, text);
}

function assertStringArray(name: string, text: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new InvalidParameterError(`attribute "${name}" of type String.Array must be a JSON array`, { cause });
  }
  const ok =
    Array.isArray(parsed) &&
    parsed.every((item) => item === null || ['string', 'number', 'boolean'].includes(typeof item));
  if (!ok) {
    throw new InvalidParameterError(
      `attribute "${name}" of type String.Array must be a JSON array of strings, numbers, booleans or null`,
    );
  }
}

/** Turns sender shorthands (`'x'`, `42`, bytes, `['a','b']`) into typed attribute values. */
export function normalizeAttribute(name: string, input: MessageAttributeInput): MessageAttributeValue {
  if (typeof input === 'string') return { dataType: 'String', stringValue: input };
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new InvalidParameterError(`attribute "${name}" must be a finite number`);
    return { dataType: 'Number', stringValue: String(input) };
  }
  // Copies, so a sender reusing its objects or buffers after send changes no stored message.
  if (input instanceof Uint8Array) return { dataType: 'Binary', binaryValue: input.slice() };
  if (Array.isArray(input)) return { dataType: 'String.Array', stringValue: arrayText(name, input) };
  if (input !== null && typeof input === 'object' && 'dataType' in input) {
    const value = input as MessageAttributeValue;
    return value.binaryValue instanceof Uint8Array
      ? { dataType: value.dataType, binaryValue: value.binaryValue.slice() }
      : { dataType: value.dataType, ...(value.stringValue !== undefined ? { stringValue: value.stringValue } : {}) };
  }
  throw new InvalidParameterError(`attribute "${name}" has an unsupported value of type ${typeof input}`);
}

function arrayText(name: string, items: readonly unknown[]): string {
  try {
    return JSON.stringify(items);
  } catch {
    throw new InvalidParameterError(`attribute "${name}" must be an array of strings, numbers, booleans or null`);
  }
}

/** Validates and normalizes a message's attributes; throws before anything is sent. */
export function normalizeAttributes(
  input: MessageAttributesInput | undefined,
  target: AttributeTarget,
): MessageAttributes {
  if (input === undefined) return NO_ATTRIBUTES;
  if (input === null || typeof input !== 'object') throw new InvalidParameterError('attributes must be an object');
  const names = Object.keys(input);
  if (names.length > LIMITS.attributesMax) {
    throw new InvalidParameterError(
      `a message may carry at most ${LIMITS.attributesMax} attributes, got ${names.length}`,
    );
  }
  const out: Record<string, MessageAttributeValue> = {};
  for (const name of names) {
    assertAttributeName(name);
    const value = normalizeAttribute(name, input[name] as MessageAttributeInput);
    assertAttributeValue(name, value, target);
    out[name] = value;
  }
  return out;
}

/** Bytes the attributes count toward the message size limit: names, types and values. */
export function attributesSize(attributes: MessageAttributes): number {
  let size = 0;
  for (const name in attributes) {
    const value = attributes[name] as MessageAttributeValue;
    size += utf8Length(name) + utf8Length(value.dataType);
    size += value.binaryValue ? value.binaryValue.length : utf8Length(value.stringValue ?? '');
  }
  return size;
}
