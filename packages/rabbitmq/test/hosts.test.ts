import { inspect } from 'node:util';
import { type Broker, connect, type LogFields, type Logger, type MsgportError } from '@msgport/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';
import { skipTitle, unavailable } from './support/helpers.js';
import { AMQP_URL, dropNamespace, uniqueNamespace } from './support/rabbitmq.js';
import { closedPort, TcpProxy } from './support/tcp-proxy.js';

const namespace = uniqueNamespace('hosts');
const shared = new URL(AMQP_URL);
const sharedHost = shared.hostname;
const sharedPort = Number(shared.port || 5672);
const userinfo = `${shared.username}:${shared.password}`;
const quiet = { logger: false, retry: { attempts: 1 } } as const;

class Lines implements Logger {
  readonly lines: { level: string; message: string; fields?: LogFields }[] = [];
  debug = (message: string, fields?: LogFields) => this.#add('debug', message, fields);
  info = (message: string, fields?: LogFields) => this.#add('info', message, fields);
  warn = (message: string, fields?: LogFields) => this.#add('warn', message, fields);
  error = (message: string, fields?: LogFields) => this.#add('error', message, fields);
  #add(level: string, message: string, fields?: LogFields) {
    this.lines.push({ level, message, ...(fields ? { fields } : {}) });
  }
  waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    return new Promise((resolve, reject) => {
      const check = () => {
        const line = this.lines.find((entry) => pattern.test(entry.message));
        if (line) resolve(line.message);
        else if (Date.now() > deadline) reject(new Error(`no log line ${pattern} in ${JSON.stringify(this.lines)}`));
        else setTimeout(check, 20);
      };
      check();
    });
  }
}

async function failure(promise: Promise<unknown>): Promise<MsgportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!error) throw new Error('expected a failure');
  return error as MsgportError;
}

describe.skipIf(unavailable)(skipTitle('a URL that names several nodes'), () => {
  const proxies: TcpProxy[] = [];
  let closed: number;
  beforeAll(async () => {
    closed = await closedPort();
    proxies.push(
      await TcpProxy.start(sharedHost, sharedPort),
      await TcpProxy.start(sharedHost, sharedPort),
      await TcpProxy.start(sharedHost, sharedPort),
    );
  });
  afterAll(async () => {
    await Promise.allSettled(proxies.map((proxy) => proxy.kill()));
    await dropNamespace(namespace);
  });
  const node = (port: number) => `127.0.0.1:${port}`;
  const clusterUrl = (...ports: number[]) => `amqp://${userinfo}@${ports.map(node).join(',')}/?namespace=${namespace}`;

  it('connects to the first node that answers, in the listed order', async () => {
    const [a, b] = proxies as [TcpProxy, TcpProxy];
    const before = [a.accepted, b.accepted];
    const broker = await connect(clusterUrl(closed, a.port, b.port), quiet);
    try {
      const q = await broker.createQueue('first-reachable');
      await q.send('hello');
      expect((await q.receive({ waitTimeSeconds: 1 })).map((m) => m.body)).toEqual(['hello']);
      await broker.deleteQueue(q.name);
    } finally {
      await broker.close();
    }
    expect([a.accepted - (before[0] ?? 0), b.accepted - (before[1] ?? 0)]).toEqual([1, 0]);
  });

  it('on connection loss moves on to the next node at once; a waiting receive resumes there by itself', async () => {
    const [, b, c] = proxies as [TcpProxy, TcpProxy, TcpProxy];
    const log = new Lines();
    // Core's default retries: the receive that was waiting when the node died is retried on the next one.
    const broker: Broker = await connect(clusterUrl(b.port, c.port), { logger: log });
    const producer = await connect(`${AMQP_URL}?namespace=${namespace}`, quiet);
    try {
      const q = await broker.createQueue('failover');
      const waiting = q.receive({ waitTimeSeconds: 10 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await b.kill();
      expect(await log.waitFor(/^reconnected/)).toBe(`reconnected to RabbitMQ node ${node(c.port)}`);
      expect(log.lines.find((line) => line.level === 'warn')?.message).toBe(
        `lost the connection to RabbitMQ node ${node(b.port)}; reconnecting`,
      );
      await producer.queue(q.name).send('after the failover');
      expect((await waiting).map((m) => m.body)).toEqual(['after the failover']);
      await broker.deleteQueue(q.name);
    } finally {
      await Promise.allSettled([broker.close(), producer.close()]);
    }
  });

  it('every node unreachable: Unavailable naming each node, the password redacted', async () => {
    const other = await closedPort();
    const url = `amqp://${shared.username}:pw-s3cret@${node(closed)},${node(other)}/`;
    const error = await failure(connect(url, quiet));
    expect(error).toMatchObject({ code: 'Unavailable', retryable: true });
    expect(error.message).toContain(`${node(closed)} refused the connection (ECONNREFUSED)`);
    expect(error.message).toContain(`${node(other)} refused the connection (ECONNREFUSED)`);
    expect(inspect(error, { showHidden: true, depth: 20 })).not.toContain('pw-s3cret');
  });

  it('the hosts option replaces the URL’s nodes; shuffleHosts is accepted from the URL and options', async () => {
    const [, , c] = proxies as [TcpProxy, TcpProxy, TcpProxy];
    const broker = await connect(`amqp://${userinfo}@${node(closed)}/?namespace=${namespace}&shuffleHosts=true`, {
      ...quiet,
      transportOptions: { hosts: [node(c.port)], shuffleHosts: false },
    });
    await broker.listQueues();
    await broker.close();
  });

  it('bad credentials: PermissionDenied, not retryable, at once (no other node is tried)', async () => {
    const [, , c] = proxies as [TcpProxy, TcpProxy, TcpProxy];
    const before = c.accepted;
    const url = `amqp://${shared.username}:wrong-pw@${sharedHost}:${sharedPort},${node(c.port)}/`;
    const error = await failure(connect(url, quiet));
    expect(error).toMatchObject({ code: 'PermissionDenied', retryable: false });
    expect(error.message).toMatch(/refused the login of user "guest" \(ACCESS_REFUSED\)/);
    expect(c.accepted).toBe(before);
  });

  it('a virtual host that does not exist: a clear message naming it, not amqplib internals', async () => {
    const error = await failure(connect(`amqp://${userinfo}@${sharedHost}:${sharedPort}/no-such-vhost-x`, quiet));
    expect(error).toMatchObject({ code: 'PermissionDenied', retryable: false });
    expect(error.message).toContain('virtual host "no-such-vhost-x"');
    expect(error.message).not.toMatch(/Expected|ConnectionClose|channel:0/);
  });
});
