import { type SecretCase, secret } from './secret-case.js';

/** Ports of local peers that misbehave, shared by the cases of one file. */
export interface PeerPorts {
  readonly closed: number;
  readonly silent: number;
  readonly resetting: number;
  readonly garbage: number;
}

/** How a networked transport's URL is written, and its own ways of refusing a client. */
export interface NetworkTarget {
  /** A URL with `userinfo` (e.g. `u:pw`) for the broker at `hostPort`. */
  readonly url: (userinfo: string, hostPort: string, path?: string) => string;
  /** The same with the TLS scheme (rediss://, amqps://, https endpoint). */
  readonly tlsUrl: (userinfo: string, hostPort: string) => string;
  /** The real server's `host:port`. */
  readonly server: string;
  /** Cases only this transport has: wrong credentials, a bad vhost or db… */
  readonly own: SecretCase[];
  readonly knownFailures?: Readonly<Record<string, string>>;
}

/** A case that connects to `input(password)` with a fresh secret password and lists queues. */
export function connectCase(name: string, input: (pw: string) => string, knownFailure?: string): SecretCase {
  const pw = secret('pw');
  return {
    name,
    secrets: [pw],
    run: (probe) => probe.connectAndList(input(pw)),
    ...(knownFailure !== undefined ? { knownFailure } : {}),
  };
}

/** Refused, silent, resetting and garbage-speaking peers, an unresolvable host, TLS against a plain port. */
export function peerCases(target: NetworkTarget, ports: PeerPorts): SecretCase[] {
  const cases: SecretCase[] = [];
  const add = (name: string, input: (pw: string) => string) => {
    cases.push(connectCase(`peer: ${name}`, input, target.knownFailures?.[name]));
  };
  add('connection refused', (pw) => target.url(`u:${pw}`, `127.0.0.1:${ports.closed}`));
  add('peer accepts TCP and never answers', (pw) => target.url(`u:${pw}`, `127.0.0.1:${ports.silent}`));
  add('peer resets every connection', (pw) => target.url(`u:${pw}`, `127.0.0.1:${ports.resetting}`));
  add('peer answers garbage', (pw) => target.url(`u:${pw}`, `127.0.0.1:${ports.garbage}`));
  add('host name that does not resolve', (pw) => target.url(`u:${pw}`, 'no-such-host.invalid:1'));
  add('TLS against a plain-text port', (pw) => target.tlsUrl(`u:${pw}`, target.server));
  add('TLS against a silent peer', (pw) => target.tlsUrl(`u:${pw}`, `127.0.0.1:${ports.silent}`));
  return [...cases, ...target.own];
}
