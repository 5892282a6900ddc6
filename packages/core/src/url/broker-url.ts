import { inspect } from 'node:util';
import { InvalidParameterError } from '../errors.js';
import { describe } from '../validation/options.js';
import { decodePart, type HostPort, parseAuthority } from './authority.js';

export type { HostPort } from './authority.js';

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const MASK = '***';

interface Parts {
  readonly scheme: string;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly hosts: readonly HostPort[];
  readonly path: string;
  readonly params: ReadonlyMap<string, string>;
}

/**
 * A broker URL, parsed once. Secrets (the password and every query value not declared public) can
 * only be read through `password()` and `param()`; every way of formatting the object — `String()`,
 * template literals, `JSON.stringify`, `util.inspect`, `console.log` — gives the redacted form.
 * Parse errors never quote the input, never attach a cause holding it, and name a bad parameter
 * without its value.
 *
 * Grammar: `scheme://[user[:password]@]host[:port][,host[:port]…][/path][?name=value&…]`. The host
 * list may be empty (`memory://`, `sqs://?region=…`); IPv6 hosts are bracketed; the user-info ends
 * at the last `@` of the authority, so a raw `@` in a password is still part of the password.
 */
export class BrokerUrl {
  readonly scheme: string;
  /** Percent-decoded; `undefined` when the URL has no user-info. */
  readonly username: string | undefined;
  readonly hosts: readonly HostPort[];
  /** Percent-decoded path without the leading `/` (a vhost, a db number, a store name…). */
  readonly path: string;
  readonly #password: string | undefined;
  readonly #params: ReadonlyMap<string, string>;
  readonly #publicParams: ReadonlySet<string>;

  private constructor(parts: Parts, publicParams: ReadonlySet<string>) {
    this.scheme = parts.scheme;
    this.username = parts.username;
    this.hosts = parts.hosts;
    this.path = parts.path;
    this.#password = parts.password;
    this.#params = parts.params;
    this.#publicParams = publicParams;
  }

  /** Parses `input`; a `BrokerUrl` is returned as it is. */
  static parse(input: string | URL | BrokerUrl): BrokerUrl {
    if (input instanceof BrokerUrl) return input;
    if (typeof input !== 'string' && !(input instanceof URL)) {
      throw new InvalidParameterError(`a broker URL must be a string, got ${describe(input)}`);
    }
    return new BrokerUrl(parseParts(String(input)), new Set());
  }

  /** The same URL, showing the values of `names` in its redacted form (they hold no secret). */
  withPublicParams(names: Iterable<string>): BrokerUrl {
    return new BrokerUrl(this.#parts(this.#params), new Set([...this.#publicParams, ...names]));
  }

  /** The same URL without the parameters `names` (core consumes its own before a transport sees the URL). */
  withoutParams(names: Iterable<string>): BrokerUrl {
    const params = new Map(this.#params);
    for (const name of names) params.delete(name);
    return new BrokerUrl(this.#parts(params), this.#publicParams);
  }

  #parts(params: ReadonlyMap<string, string>): Parts {
    return {
      scheme: this.scheme,
      username: this.username,
      password: this.#password,
      hosts: this.hosts,
      path: this.path,
      params,
    };
  }

  /** The first host, or `undefined` when the URL names none. */
  get host(): HostPort | undefined {
    return this.hosts[0];
  }

  /** The secret part of the user-info, percent-decoded. */
  password(): string | undefined {
    return this.#password;
  }

  /** A query parameter's value (decoded), or `undefined` when absent. */
  param(name: string): string | undefined {
    return this.#params.get(name);
  }

  hasParam(name: string): boolean {
    return this.#params.has(name);
  }

  paramNames(): string[] {
    return [...this.#params.keys()];
  }

  /**
   * Rejects any parameter not in `known`; the error names the parameter, never its value. A bare
   * parameter (`?text`, no `=`) is not named either: pasted in by mistake, it may be the secret.
   */
  assertKnownParams(known: Iterable<string>): void {
    const allowed = new Set(known);
    for (const [name, value] of this.#params) {
      if (!allowed.has(name)) {
        const which = this.#hidesName(name, value) ? 'a parameter without a value' : `unknown parameter "${name}"`;
        throw new InvalidParameterError(
          `${which} in ${this.scheme}:// URL ${this.redacted()}; supported: ${[...allowed].sort().join(', ') || 'none'}`,
        );
      }
    }
  }

  // A non-public parameter with an empty value may be a secret typed where a name belongs.
  #hidesName(name: string, value: string): boolean {
    return value === '' && !this.#publicParams.has(name);
  }

  /** The URL for messages and logs: password and non-public parameter values replaced by `***`. */
  redacted(): string {
    const user =
      this.username === undefined && this.#password === undefined
        ? ''
        : `${encodeURIComponent(this.username ?? '')}${this.#password === undefined ? '' : `:${MASK}`}@`;
    const hosts = this.hosts.map(formatHostPort).join(',');
    const path = this.path === '' ? '' : `/${encodeURIComponent(this.path)}`;
    const query = [...this.#params]
      .map(([name, value]) => {
        if (this.#hidesName(name, value)) return MASK;
        return `${encodeURIComponent(name)}=${this.#publicParams.has(name) ? encodeURIComponent(value) : MASK}`;
      })
      .join('&');
    return `${this.scheme}://${user}${hosts}${path}${query === '' ? '' : `?${query}`}`;
  }

  toString(): string {
    return this.redacted();
  }

  toJSON(): string {
    return this.redacted();
  }

  [inspect.custom](): string {
    return `BrokerUrl(${this.redacted()})`;
  }
}

export function formatHostPort({ host, port }: HostPort): string {
  const shown = host.includes(':') ? `[${host}]` : host;
  return port === undefined ? shown : `${shown}:${port}`;
}

function parseParts(text: string): Parts {
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    throw new InvalidParameterError('a broker URL starts with a scheme such as memory://, redis:// or sqs://');
  }
  const rest = text.slice(scheme.length + 1);
  if (!rest.startsWith('//')) {
    throw new InvalidParameterError(`a ${scheme} URL must start with "${scheme}://"`);
  }
  if (rest.includes('#')) throw new InvalidParameterError(`a ${scheme}:// URL has no #fragment`);
  const afterSlashes = rest.slice(2);
  const queryAt = afterSlashes.indexOf('?');
  const beforeQuery = queryAt === -1 ? afterSlashes : afterSlashes.slice(0, queryAt);
  const query = queryAt === -1 ? '' : afterSlashes.slice(queryAt + 1);
  // The authority ends at the first "/" after the user-info (which ends at its last "@").
  const at = beforeQuery.lastIndexOf('@');
  const slash = beforeQuery.indexOf('/', at + 1);
  const authority = slash === -1 ? beforeQuery : beforeQuery.slice(0, slash);
  const rawPath = slash === -1 ? '' : beforeQuery.slice(slash + 1);
  const { username, password, hosts } = parseAuthority(scheme, authority);
  return {
    scheme,
    username,
    password,
    hosts,
    path: decodePart(scheme, 'path', rawPath),
    params: parseQuery(scheme, query),
  };
}

function parseQuery(scheme: string, query: string): ReadonlyMap<string, string> {
  const params = new Map<string, string>();
  if (query === '') return params;
  let search: URLSearchParams;
  try {
    search = new URLSearchParams(query);
  } catch {
    throw new InvalidParameterError(`the query of a ${scheme}:// URL cannot be read`);
  }
  for (const [name, value] of search) {
    if (params.has(name)) throw new InvalidParameterError(`parameter "${name}" appears twice in a ${scheme}:// URL`);
    params.set(name, value);
  }
  return params;
}
