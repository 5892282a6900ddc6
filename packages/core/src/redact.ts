/**
 * @deprecated Guessing URLs in free text is not redaction: parse URLs once with `BrokerUrl` and
 * format only `redacted()`; core scrubs the URL's known secrets from transport errors itself.
 * Kept for the RabbitMQ transport and the CLI until they stop calling it; core's own paths never do.
 */
export function redactCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@/?#\s]+)@/gi, '$1***@');
}

/** @deprecated See `redactCredentials`. */
export function redactUrl(url: string | URL): string {
  return redactCredentials(String(url));
}
