/**
 * A message's key inside its queue: its id (a UUID, what users see) as 22 base64url characters
 * instead of 36, in every hash field, sorted set and list that names it. The key follows from the
 * id, so a send retried with the same ids finds its messages stored, with no index from one to the other.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The key of message `id`. A string that is no UUID maps to a key no stored message has (`~` is not base64url). */
export function messageKey(id: string): string {
  if (!UUID.test(id)) return `~${id}`;
  return Buffer.from(id.replaceAll('-', ''), 'hex').toString('base64url');
}

/** The message id of a key made by `messageKey`. */
export function messageIdOf(key: string): string {
  if (key.startsWith('~')) return key.slice(1);
  const hex = Buffer.from(key, 'base64url').toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
