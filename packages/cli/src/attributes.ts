import type { MessageAttributeInput, MessageAttributes, MessageAttributeValue } from '@msgport/core';
import { InvalidArgumentError } from 'commander';

/**
 * Parses `--attr name=value` (a String), `--attr name:Number=12.5` or `--attr name:Binary=<base64>`
 * (any SQS data type, with an optional `.label`, may follow the colon).
 */
export function parseAttribute(text: string): [string, MessageAttributeInput] {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new InvalidArgumentError(`expected name=value or name:Type=value, got "${text}"`);
  const key = text.slice(0, equals);
  const value = text.slice(equals + 1);
  const colon = key.indexOf(':');
  if (colon < 0) return [key, value];
  const name = key.slice(0, colon);
  const dataType = key.slice(colon + 1);
  if (name === '' || !/^(String|Number|Binary)(\..+)?$/.test(dataType)) {
    throw new InvalidArgumentError(`"${key}": the type must be String, Number or Binary (optionally .label)`);
  }
  const typed: MessageAttributeValue = dataType.startsWith('Binary')
    ? { dataType, binaryValue: Buffer.from(value, 'base64') }
    : { dataType, stringValue: value };
  return [name, typed];
}

/** Commander's collector for the repeatable `--attr`. */
export function collectAttribute(
  text: string,
  previous: Record<string, MessageAttributeInput> = {},
): Record<string, MessageAttributeInput> {
  const [name, value] = parseAttribute(text);
  return { ...previous, [name]: value };
}

/** Attributes as plain JSON: String and Number values as text, Binary as base64. */
export function attributesToJson(attributes: MessageAttributes): Record<string, { type: string; value: string }> {
  const result: Record<string, { type: string; value: string }> = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    const value =
      attribute.binaryValue !== undefined
        ? Buffer.from(attribute.binaryValue).toString('base64')
        : (attribute.stringValue ?? '');
    result[name] = { type: attribute.dataType, value };
  }
  return result;
}
