import { InvalidMessageContentsError, InvalidParameterError } from '../errors.js';

// Matches control characters, surrogates and U+FFFE/U+FFFF: everything that needs a closer look.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const SUSPECT_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;

/**
 * Index of the first character outside XML 1.0 Char (#x9 | #xA | #xD | [#x20-#xD7FF] |
 * [#xE000-#xFFFD] | [#x10000-#x10FFFF]), or -1. A lone surrogate is outside every range. A loop
 * over code units, since this runs on every message body.
 */
export function findForbiddenChar(text: string): number {
  // Fast path: no control characters and no surrogates at all (a non-unicode regex scans quickly).
  if (!SUSPECT_CHAR.test(text)) return -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0xd800) continue;
    if (c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0xe000 && c <= 0xfffd)) continue;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
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
