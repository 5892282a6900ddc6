import { readFile } from 'node:fs/promises';
import { inspect } from 'node:util';
import { connect, type MsgportError } from '@msgport/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';
import { createTestPki, type TestPki } from '@msgport/test-support/tls-certs';
import { findRabbitServer, PrivateRabbit } from './support/private-broker.js';

const missing = findRabbitServer() ? '' : 'rabbitmq-server is not installed';
if (missing && process.env.CI === 'true') throw new Error(`${missing} and CI=true: run .ci/ensure-rabbitmq.sh`);
const quiet = { logger: false, retry: { attempts: 1 } } as const;

async function failure(promise: Promise<unknown>): Promise<{ error: MsgportError; ms: number }> {
  const started = Date.now();
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!error) throw new Error('expected a failure');
  return { error: error as MsgportError, ms: Date.now() - started };
}

describe.skipIf(missing)(
  `amqps:// against a private RabbitMQ TLS listener${missing ? ` [skipped: ${missing}]` : ''}`,
  () => {
    let pki: TestPki;
    let node: PrivateRabbit;
    beforeAll(async () => {
      pki = await createTestPki();
      node = await PrivateRabbit.start({
        tls: { caFile: pki.caFile, certFile: pki.serverCertFile, keyFile: pki.serverKeyFile },
      });
    }, 120_000);
    afterAll(async () => {
      await node?.destroy();
      await pki?.remove();
    }, 30_000);

    const base = () => `amqps://guest:tls-guest-pw@127.0.0.1:${node.tlsPort}/`;
    const guest = () => `amqps://guest:guest@127.0.0.1:${node.tlsPort}/`;
    const ca = () => `tlsCaFile=${encodeURIComponent(pki.caFile)}`;

    it('?tlsCaFile= trusts the broker: queues work over TLS', async () => {
      const broker = await connect(`${guest()}?${ca()}&namespace=tls`, quiet);
      try {
        const q = await broker.createQueue('over-tls');
        await q.send('encrypted');
        expect((await q.receive({ waitTimeSeconds: 1 })).map((m) => m.body)).toEqual(['encrypted']);
        await broker.deleteQueue(q.name);
      } finally {
        await broker.close();
      }
    });

    it('transportOptions.tls.ca does the same', async () => {
      const broker = await connect(guest(), {
        ...quiet,
        transportOptions: { tls: { ca: await readFile(pki.caFile) } },
      });
      await broker.listQueues();
      await broker.close();
    });

    it.each([
      ['no CA (the system store does not know the test CA)', ''],
      ['the wrong CA', 'other'],
    ])('%s: PermissionDenied at connect, at once, saying how to fix it', async (_, which) => {
      const query = which === 'other' ? `?tlsCaFile=${encodeURIComponent(pki.otherCaFile)}` : '';
      const { error } = await failure(connect(`${base()}${query}`, quiet));
      expect(error).toMatchObject({ code: 'PermissionDenied', retryable: false, transport: 'rabbitmq' });
      expect(error.message).toMatch(/TLS certificate of 127\.0\.0\.1:\d+ is not trusted .*tlsCaFile/);
      expect(inspect(error, { depth: 10, showHidden: true })).not.toContain('tls-guest-pw');
    });

    it('a server name the certificate does not carry is PermissionDenied; tlsServerName fixes the check', async () => {
      const wrong = await failure(connect(`${guest()}?${ca()}&tlsServerName=mq.example`, quiet));
      expect(wrong.error.code).toBe('PermissionDenied');
      expect(wrong.error.message).toContain('tlsServerName');
      const right = await connect(`${guest()}?${ca()}&tlsServerName=localhost`, quiet);
      await right.close();
    });

    it('amqps:// against the plain-text port: Unavailable at once, saying it is not a TLS port', async () => {
      const { error } = await failure(connect(`amqps://guest:guest@127.0.0.1:${node.port}/?${ca()}`, quiet));
      expect(error).toMatchObject({ code: 'Unavailable' });
      expect(error.message).toContain('TLS');
    });

    it('TLS settings on amqp:// and an unreadable CA file are InvalidParameter', async () => {
      const plain = await failure(connect(`amqp://guest:guest@127.0.0.1:${node.port}/?${ca()}`, quiet));
      expect(plain.error.code).toBe('InvalidParameter');
      const unreadable = await failure(connect(`${guest()}?tlsCaFile=/nonexistent/ca.pem`, quiet));
      expect(unreadable.error).toMatchObject({ code: 'InvalidParameter' });
      expect(unreadable.error.message).toContain('/nonexistent/ca.pem');
    });
  },
);
