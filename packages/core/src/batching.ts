/**
 * Splits entries into chunks a driver accepts: at most `maxEntries` each and, where a size is
 * given, at most `maxBytes` in total (SQS counts the whole batch against the message size limit).
 */
export function chunkEntries<T>(
  entries: readonly T[],
  maxEntries: number,
  sizeOf?: (entry: T) => number,
  maxBytes = Number.POSITIVE_INFINITY,
): T[][] {
  // One chunk (the usual case): the entries themselves, not a copy.
  if (entries.length > 0 && entries.length <= maxEntries && fitsInBytes(entries, sizeOf, maxBytes))
    return [entries as T[]];
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = sizeOf ? sizeOf(entry) : 0;
    if (current.length > 0 && (current.length >= maxEntries || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function fitsInBytes<T>(entries: readonly T[], sizeOf: ((entry: T) => number) | undefined, maxBytes: number): boolean {
  if (!sizeOf || maxBytes === Number.POSITIVE_INFINITY) return true;
  let bytes = 0;
  for (const entry of entries) bytes += sizeOf(entry);
  return bytes <= maxBytes;
}
