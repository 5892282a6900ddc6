import { type SecretCase, secret } from './secret-case.js';

/** Where the URL cases of one transport point: a host that refuses connections, so every case fails. */
export interface UrlTarget {
  readonly scheme: string;
  /** `host:port` of a refused port (or a memory store name). */
  readonly host: string;
  /** Query parameters the scheme needs anyway, e.g. `region=us-east-1&tls=false` for sqs://. */
  readonly query?: string;
  /** Cases that fail today because of transport code, by name → the file to fix. */
  readonly knownFailures?: Readonly<Record<string, string>>;
}

interface UrlCase {
  readonly name: string;
  readonly input: unknown;
  readonly secrets: readonly string[];
}

function withQuery(base: string | undefined, extra: string): string {
  const parts = [base, extra].filter((part) => part !== undefined && part !== '');
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/**
 * Mistyped and malformed URLs that carry a secret: raw `@` in passwords, one-slash forms, secrets in
 * query parameters (misspelt, percent-encoded, duplicated, bare), bad ports and hosts, fragments,
 * and URL-like values of the wrong type. Each connects (and lists queues), which must fail without
 * the secret anywhere.
 */
export function urlCases(target: UrlTarget): SecretCase[] {
  const { scheme, host } = target;
  const q = (extra = '') => withQuery(target.query, extra);
  const url = (userinfo: string, extra = '', hostPart = host) => `${scheme}://${userinfo}@${hostPart}${q(extra)}`;
  const cases: UrlCase[] = [];
  const add = (name: string, input: unknown, ...secrets: string[]) => cases.push({ name, input, secrets });

  const s = () => secret('pw');
  let a = s();
  add('password', url(`u:${a}`), a);
  const [b1, b2] = [s(), s()];
  add('raw @ in the password', url(`u:${b1}@${b2}`), `${b1}@${b2}`, b1, b2);
  const [c1, c2, c3] = [s(), s(), s()];
  add('two raw @ in the password', url(`u:${c1}@${c2}@${c3}`), c1, c2, c3);
  const [d1, d2] = [s(), s()];
  add('raw : in the password', url(`u:${d1}:${d2}`), `${d1}:${d2}`, d1, d2);
  a = s();
  add('password without a user', url(`:${a}`), a);
  a = s();
  add('percent-encoded special characters', url(`u:${encodeURIComponent(`${a}/#?@:%`)}`), a);
  const [e1, e2] = [s(), s()];
  add('malformed %-escape in the password', url(`u:${e1}%ZZ${e2}`), e1, e2);
  a = s();
  add('one slash', `${scheme}:/:${a}@${host}${q()}`, a);
  a = s();
  add('one slash with a user', `${scheme}:/u:${a}@${host}${q()}`, a);
  a = s();
  add('no slashes', `${scheme}:u:${a}@${host}${q()}`, a);
  a = s();
  add('three slashes (user-info in the path)', `${scheme}:///u:${a}@${host}${q()}`, a);
  a = s();
  add('backslashes', `${scheme}:\\\\u:${a}@${host}${q()}`, a);
  a = s();
  add('misspelt scheme', `${scheme}x://u:${a}@${host}${q()}`, a);
  a = s();
  add('upper-case scheme', `${scheme.toUpperCase()}://u:${a}@${host}${q()}`, a);
  a = s();
  add('leading space', ` ${url(`u:${a}`)}`, a);
  a = s();
  add('trailing line break', `${url(`u:${a}`)}\n`, a);
  for (const param of ['password', 'pasword', 'passwd', 'pass', 'token', 'secretKey', 'secret_access_key']) {
    a = s();
    add(`?${param}=secret`, `${scheme}://${host}${q(`${param}=${a}`)}`, a);
  }
  a = s();
  add('percent-encoded parameter name ?%70assword=', `${scheme}://${host}${q(`%70assword=${a}`)}`, a);
  a = s();
  add('parameter name with an encoded letter ?pass%77ord=', `${scheme}://${host}${q(`pass%77ord=${a}`)}`, a);
  a = s();
  add('a secret as a bare parameter ?secret', `${scheme}://${host}${q(a)}`, a);
  a = s();
  add('a secret as a value without a name ?=secret', `${scheme}://${host}${q(`=${a}`)}`, a);
  const [f1, f2] = [s(), s()];
  add('duplicated secret parameter', `${scheme}://${host}${q(`password=${f1}&password=${f2}`)}`, f1, f2);
  a = s();
  add('core parameter with a secret value', url(`u:${a}`, `callTimeoutMs=${a}`), a);
  a = s();
  add('fragment after the password', `${url(`u:${a}`)}#frag`, a);
  a = s();
  add('secret in the fragment', `${url('u:x')}#${a}`, a);
  a = s();
  add('port out of range', url(`u:${a}`, '', '127.0.0.1:99999'), a);
  a = s();
  add('port not a number', url(`u:${a}`, '', '127.0.0.1:abc'), a);
  a = s();
  add('unterminated IPv6 host', url(`u:${a}`, '', '[::1'), a);
  a = s();
  add('space in the host', url(`u:${a}`, '', 'ho st'), a);
  a = s();
  add('NUL in the password', url(`u:${a}\u0000x`), a);
  const long = s().repeat(400);
  add('4 KiB password', url(`u:${long}`), long.slice(0, 40));
  a = s();
  add('non-ASCII password', url(`u:${a}é€😀`), a);
  a = s();
  add('the password alone, no scheme', a, a);
  a = s();
  add('an object whose toString() is the URL', { toString: () => url(`u:${a}`) }, a);
  a = s();
  add('a Buffer holding the URL', Buffer.from(url(`u:${a}`)), a);
  a = s();
  let parsed: URL | undefined;
  try {
    parsed = new URL(url(`u:${a}`));
  } catch {
    parsed = undefined;
  }
  if (parsed) add('a WHATWG URL object', parsed, a);

  return cases.map(
    ({ name, input, secrets }): SecretCase => ({
      name: `URL: ${name}`,
      secrets,
      run: (probe) => probe.connectAndList(input),
      ...(target.knownFailures?.[name] !== undefined ? { knownFailure: target.knownFailures[name] } : {}),
    }),
  );
}
