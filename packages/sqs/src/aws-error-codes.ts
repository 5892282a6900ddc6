/**
 * The error codes an AWS SDK v3 error (of any service) carries, most specific first: the modeled name (`name`, e.g.
 * `QueueDoesNotExist`), the legacy query code (`Code` / `Error.Code`, which the JSON protocol takes
 * from the `x-amzn-query-error` header, e.g. `AWS.SimpleQueueService.NonExistentQueue`) and the raw
 * `__type` (`com.amazonaws.sqs#QueueDoesNotExist`). Each is normalized by `normalizeAwsCode`.
 */
export function awsErrorCodes(error: unknown): string[] {
  if (error === null || typeof error !== 'object') return [];
  const record = error as Record<string, unknown>;
  const nested =
    record.Error !== null && typeof record.Error === 'object' ? (record.Error as Record<string, unknown>) : {};
  const candidates = [record.name, record.Code, nested.Code, record.__type, record.code];
  const codes: string[] = [];
  for (const candidate of candidates) {
    if (typeof candidate !== 'string' || candidate.length === 0) continue;
    const code = normalizeAwsCode(candidate);
    if (!codes.includes(code)) codes.push(code);
  }
  return codes;
}

/** `AWS.SimpleQueueService.NonExistentQueue` → `NonExistentQueue`; `com.amazonaws.sqs#X` → `X`; `x;Sender` → `x`. */
export function normalizeAwsCode(code: string): string {
  let normalized = code.split(';', 1)[0] ?? code;
  const hash = normalized.lastIndexOf('#');
  if (hash >= 0) normalized = normalized.slice(hash + 1);
  return normalized.replace(/^AWS\.SimpleQueueService\./, '');
}
