import { createHash, hash } from 'node:crypto';
import type { MessageAttributes } from '@msgport/core/driver';

/** MD5 of the body as SQS computes `MD5OfBody` / `MD5OfMessageBody`: over the UTF-8 bytes. */
export function md5OfBody(body: string): string {
  // one-shot: no Hash object per message
  return hash('md5', body, 'hex');
}

const STRING_TRANSPORT = 1;
const BINARY_TRANSPORT = 2;

function lengthPrefixed(bytes: Buffer): Buffer[] {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return [length, bytes];
}

/**
 * `MD5OfMessageAttributes` as the SQS developer guide defines it: attributes sorted by name; for
 * each, length-prefixed UTF-8 name, length-prefixed data type (label included), one transport byte
 * (1 = String/Number, 2 = Binary) and the length-prefixed value. `undefined` without attributes.
 */
export function md5OfMessageAttributes(attributes: MessageAttributes): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  for (const name of names) {
    const value = attributes[name];
    if (!value) continue;
    parts.push(...lengthPrefixed(Buffer.from(name, 'utf8')), ...lengthPrefixed(Buffer.from(value.dataType, 'utf8')));
    if (value.binaryValue !== undefined) {
      parts.push(Buffer.from([BINARY_TRANSPORT]), ...lengthPrefixed(Buffer.from(value.binaryValue)));
    } else {
      parts.push(Buffer.from([STRING_TRANSPORT]), ...lengthPrefixed(Buffer.from(value.stringValue ?? '', 'utf8')));
    }
  }
  return createHash('md5').update(Buffer.concat(parts)).digest('hex');
}

export interface DigestCheck {
  readonly body: string;
  readonly attributes: MessageAttributes;
  readonly md5OfBody: string | undefined;
  readonly md5OfAttributes: string | undefined;
}

/** Why a message fails its digests, or `undefined` when body and attributes match what SQS reported. */
export function digestMismatch(check: DigestCheck): string | undefined {
  if (check.md5OfBody !== undefined) {
    const actual = md5OfBody(check.body);
    if (actual !== check.md5OfBody) return `MD5 of the body is ${actual}, SQS reported ${check.md5OfBody}`;
  }
  // SQS reports no attribute digest for a message without attributes: nothing to compute then
  if (check.md5OfAttributes === undefined || check.md5OfAttributes === '') return undefined;
  const expected = md5OfMessageAttributes(check.attributes);
  if (check.md5OfAttributes !== expected) {
    return `MD5 of the message attributes is ${expected ?? 'absent'}, SQS reported ${check.md5OfAttributes}`;
  }
  return undefined;
}
