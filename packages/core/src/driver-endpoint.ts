/**
 * The redacted URL each driver was opened with, so core's own errors (a call's deadline) can say
 * which broker did not answer. `connect()` records it; drivers built by hand have none.
 */
const endpoints = new WeakMap<object, string>();

export function rememberEndpoint(driver: object, redactedUrl: string): void {
  endpoints.set(driver, redactedUrl);
}

/** ` at <redacted url>` for a driver `connect()` opened, '' otherwise. */
export function endpointSuffix(driver: object): string {
  const where = endpoints.get(driver);
  return where === undefined ? '' : ` at ${where}`;
}
