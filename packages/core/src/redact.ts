/** Replaces the password of every URL in `text` so credentials never reach a message or a log. */
export function redactCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@/?#\s]+)@/gi, '$1***@');
}

export function redactUrl(url: string | URL): string {
  return redactCredentials(String(url));
}
