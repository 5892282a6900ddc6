/**
 * A message's key inside its queue: its id (a UUID, what users see) as 22 base64url characters
 * instead of 36, in every hash field, sorted set and list that names it. The key follows from the
 * id, so a send retried with the same ids finds its messages stored, with no index from one to the other.
 */

/** Value of each lower-case hex digit by char code; -1 for anything else. */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let digit = 0; digit < 16; digit++) HEX_VALUE[digit.toString(16).charCodeAt(0)] = digit;

const DASH = 45;
/** The 16 bytes of the UUID being converted (conversions are synchronous: one buffer serves all). */
const bytes = Buffer.alloc(16);

function hexValue(code: number): number {
  return code < 128 ? (HEX_VALUE[code] as number) : -1;
}

/** The key of message `id`. A string that is no lower-case UUID maps to a key no stored message has (`~` is not base64url). */
export function messageKey(id: string): string {
  if (id.length !== 36) return `~${id}`;
  let byte = 0;
  for (let i = 0; i < 36; ) {
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (id.charCodeAt(i) !== DASH) return `~${id}`;
      i++;
      continue;
    }
    const high = hexValue(id.charCodeAt(i));
    const low = hexValue(id.charCodeAt(i + 1));
    if (high < 0 || low < 0) return `~${id}`;
    bytes[byte++] = (high << 4) | low;
    i += 2;
  }
  return bytes.toString('base64url');
}

/** The message id of a key made by `messageKey`. */
export function messageIdOf(key: string): string {
  if (key.startsWith('~')) return key.slice(1);
  let hex: string;
  if (key.length === 22) {
    bytes.write(key, 0, 'base64url');
    hex = bytes.toString('hex');
  } else {
    hex = Buffer.from(key, 'base64url').toString('hex');
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
