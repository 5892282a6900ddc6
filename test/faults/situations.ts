import { randomBytes } from 'node:crypto';
import { type Broker, connect, type ErrorCode } from '@msgport/core';
import { FreezingProxy } from '../support/freezing-proxy.js';
import type { Peer } from '../support/peers.js';

/** Deadlines of the measured brokers: failures that wait for one show it in their time. */
export const DEADLINES = { connectTimeoutMs: 2_000, callTimeoutMs: 2_000 } as const;

/** One row of docs/errors.md: a situation, the code DESIGN §6 wants, and how soon. */
export interface Situation {
  readonly name: string;
  readonly codes: readonly ErrorCode[];
  readonly withinMs: number;
  /** When set, the error's `retryable` must be this. */
  readonly retryable?: boolean;
  /** Text a clear message must not be (a client library's internals). */
  readonly notMessage?: RegExp;
  /** Performs the failing action; `track` registers what to close afterwards. */
  readonly run: (track: Tracker) => Promise<unknown>;
  /** Set when the row fails today because of transport code: the file to fix. */
  readonly knownFailure?: string;
}

export class Tracker {
  readonly #cleanups: (() => Promise<unknown>)[] = [];
  /** Where the measured part starts: the run's start unless a situation sets up first. */
  startedAt = Date.now();

  /** Starts the clock now: what came before was set-up. */
  mark(): void {
    this.startedAt = Date.now();
  }

  async connect(url: string): Promise<Broker> {
    const broker = await connect(url, { logger: false, retry: { attempts: 1 }, ...DEADLINES });
    this.add(() => broker.close());
    return broker;
  }

  add(cleanup: () => Promise<unknown>): void {
    this.#cleanups.push(cleanup);
  }

  async cleanup(): Promise<void> {
    for (const cleanup of this.#cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  }
}

export interface NetworkTransport {
  /** A URL for the broker at `hostPort` with `userinfo` (and a path: a vhost or db). */
  readonly url: (userinfo: string, hostPort: string, path?: string) => string;
  readonly tlsUrl: (userinfo: string, hostPort: string) => string;
  /** The real server: host, port, and user-info that works. */
  readonly server: { readonly host: string; readonly port: number; readonly userinfo: string };
  readonly badCredentials: { readonly url: string };
  readonly badPath?: { readonly name: string; readonly path: string };
  readonly peers: { readonly closed: number; readonly silent: Peer; readonly resetting: Peer; readonly garbage: Peer };
  readonly knownFailures?: Readonly<Record<string, string>>;
}

const unique = (tag: string) => `ttf-${tag}-${randomBytes(4).toString('hex')}`;

/** A queue on a broker reached through a proxy, so the test can make the broker hang or vanish. */
async function queueBehindProxy(net: NetworkTransport, track: Tracker) {
  const proxy = await FreezingProxy.start(net.server.host, net.server.port);
  track.add(() => proxy.close());
  const broker = await track.connect(net.url(net.server.userinfo, `127.0.0.1:${proxy.port}`));
  const queue = await broker.createQueue(unique('proxy'));
  track.add(async () => {
    const direct = await connect(net.url(net.server.userinfo, `${net.server.host}:${net.server.port}`), {
      logger: false,
    });
    await direct.deleteQueue(queue.name).finally(() => direct.close());
  });
  return { proxy, queue };
}

/** The situations every transport shares: unknown queue, closed broker, an unknown URL parameter. */
export function commonSituations(open: (track: Tracker) => Promise<Broker>, badParamUrl: string): Situation[] {
  return [
    {
      name: 'unknown queue (send)',
      codes: ['QueueDoesNotExist'],
      withinMs: 1_000,
      retryable: false,
      run: async (track) => {
        const queue = (await open(track)).queue(unique('missing'));
        track.mark();
        return queue.send('x');
      },
    },
    {
      name: 'closed broker (send)',
      codes: ['Closed'],
      withinMs: 100,
      run: async (track) => {
        const broker = await open(track);
        await broker.close();
        track.mark();
        return broker.queue(unique('closed')).send('x');
      },
    },
    {
      name: 'unknown URL parameter',
      codes: ['InvalidParameter'],
      withinMs: 200,
      run: (track) => track.connect(badParamUrl),
    },
  ];
}

/** Connection failures of a networked transport. */
export function networkSituations(net: NetworkTransport): Situation[] {
  const { peers } = net;
  const connectMs = DEADLINES.connectTimeoutMs;
  const callMs = DEADLINES.callTimeoutMs;
  const list = async (track: Tracker, url: string) => (await track.connect(url)).listQueues();
  const rows: Omit<Situation, 'knownFailure'>[] = [
    {
      name: 'refused connection',
      codes: ['Unavailable'],
      withinMs: 1_000,
      retryable: true,
      run: (t) => list(t, net.url('u:pw', `127.0.0.1:${peers.closed}`)),
    },
    {
      name: 'silent peer (accepts TCP, never answers)',
      codes: ['Timeout'],
      withinMs: connectMs + 1_500,
      run: (t) => list(t, net.url('u:pw', `127.0.0.1:${peers.silent.port}`)),
    },
    {
      name: 'peer resets every connection',
      codes: ['Unavailable'],
      withinMs: connectMs,
      run: (t) => list(t, net.url('u:pw', `127.0.0.1:${peers.resetting.port}`)),
    },
    {
      name: 'peer answers garbage',
      codes: ['Unavailable'],
      withinMs: connectMs,
      run: (t) => list(t, net.url('u:pw', `127.0.0.1:${peers.garbage.port}`)),
    },
    {
      name: 'unresolvable host name',
      codes: ['Unavailable'],
      withinMs: connectMs,
      run: (t) => list(t, net.url('u:pw', 'no-such-host.invalid:1')),
    },
    {
      name: 'TLS against a plain-text port',
      codes: ['Unavailable'],
      withinMs: connectMs,
      run: (t) => list(t, net.tlsUrl(net.server.userinfo, `${net.server.host}:${net.server.port}`)),
    },
    {
      name: 'bad credentials',
      codes: ['PermissionDenied'],
      withinMs: 1_000,
      retryable: false,
      run: (t) => list(t, net.badCredentials.url),
    },
    {
      name: 'broker stops answering (hung connection), then send',
      codes: ['Timeout'],
      withinMs: callMs + 1_500,
      run: async (t) => {
        const { proxy, queue } = await queueBehindProxy(net, t);
        proxy.freeze();
        t.mark();
        return queue.send('x');
      },
    },
    {
      name: 'broker gone (connections cut, port closed), then send',
      codes: ['Unavailable', 'Timeout'],
      withinMs: callMs + 1_500,
      run: async (t) => {
        const { proxy, queue } = await queueBehindProxy(net, t);
        await proxy.cut();
        t.mark();
        return queue.send('x');
      },
    },
  ];
  if (net.badPath) {
    const { name, path } = net.badPath;
    rows.push({
      name,
      codes: ['InvalidParameter', 'PermissionDenied'],
      withinMs: 2_000,
      retryable: false,
      notMessage: /Expected \w+|ConnectionClose|channel:0/,
      run: (t) => list(t, net.url(net.server.userinfo, `${net.server.host}:${net.server.port}`, path)),
    });
  }
  return rows.map((row) => {
    const known = net.knownFailures?.[row.name];
    return known === undefined ? row : { ...row, knownFailure: known };
  });
}
