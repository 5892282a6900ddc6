import type { BrokerUrl } from './url/broker-url.js';

// Shorter secrets would mangle ordinary words in messages; they are weak secrets anyway.
const MIN_SECRET_LENGTH = 6;

/**
 * Replaces the secrets core knows (the password and secret parameter values of the URL a broker
 * was opened with) in text that comes from a transport's client library. This is a second line of
 * defence: core itself only ever formats `BrokerUrl.redacted()`, but a client library may quote
 * what it was given.
 */
export class Redactor {
  static readonly none = new Redactor([]);
  readonly #secrets: readonly string[];

  constructor(secrets: Iterable<string | undefined>) {
    const forms = new Set<string>();
    for (const secret of secrets) {
      if (secret === undefined || secret.length < MIN_SECRET_LENGTH) continue;
      forms.add(secret);
      forms.add(encodeURIComponent(secret));
    }
    // Longest first, so a secret that contains another is replaced whole.
    this.#secrets = [...forms].sort((a, b) => b.length - a.length);
  }

  /**
   * The secrets of `url`: its password, every parameter value not named in `publicParams`, and the
   * name of a bare parameter (`?text`), which may be a secret pasted where a name belongs.
   */
  static forUrl(url: BrokerUrl, publicParams: Iterable<string>): Redactor {
    const shown = new Set(publicParams);
    const secrets = url
      .paramNames()
      .filter((name) => !shown.has(name))
      .map((name) => (url.param(name) === '' ? name : url.param(name)));
    return new Redactor([url.password(), ...secrets]);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) if (out.includes(secret)) out = out.split(secret).join('***');
    return out;
  }
}

const redactors = new WeakMap<object, Redactor>();

/** Ties the secrets of the URL a driver was opened with to that driver (done by `connect()`). */
export function rememberRedactor(driver: object, redactor: Redactor): void {
  redactors.set(driver, redactor);
}

export function redactorOf(driver: object): Redactor {
  return redactors.get(driver) ?? Redactor.none;
}
