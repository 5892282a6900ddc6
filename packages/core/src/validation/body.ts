import { InvalidMessageContentsError, InvalidParameterError } from '../errors.js';

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. With the
// `u` flag a lone surrogate is its own code point, outside every allowed range.
const FORBIDDEN_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function findForbiddenChar(text: string): number {
  const match = FORBIDDEN_CHAR.exec(text);
  return match ? match.index : -1;
}

export function assertBody(body: unknown): asserts body is string {
  if (typeof body !== 'string') {
    throw new InvalidParameterError(`message body must be a string (use a codec for ${typeof body} payloads)`);
  }
  if (body.length === 0) throw new InvalidParameterError('message body must not be empty');
  const at = findForbiddenChar(body);
  if (at >= 0) {
    const code = body.codePointAt(at)?.toString(16).toUpperCase().padStart(4, '0');
    throw new InvalidMessageContentsError(
      `message body contains U+${code} at index ${at}, which SQS does not allow; encode binary data with the binary codec`,
    );
  }
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
