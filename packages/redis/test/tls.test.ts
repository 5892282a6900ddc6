import { readFile } from 'node:fs/promises';
import { inspect } from 'node:util';
import { connect } from '@msgport/core';
import { createTestPki, type TestPki } from '@msgport/test-support/tls-certs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniquePrefix } from './support/env.js';
import { failure } from './support/failure.js';
import { PrivateRedis } from './support/redis-server.js';

const prefix = uniquePrefix('tls');
const quiet = { logger: false, retry: { attempts: 1 } } as const;

describe.skipIf(!inject('redisBinaries'))('rediss:// against a private TLS redis-server', { concurrent: true }, () => {
  let pki: TestPki;
  let server: PrivateRedis;
  let mutual: PrivateRedis;
  beforeAll(async () => {
    pki = await createTestPki();
    const files = { certFile: pki.serverCertFile, keyFile: pki.serverKeyFile, caFile: pki.caFile };
    server = await PrivateRedis.start({ tls: files, args: ['--requirepass', 'tls-pass-7'] });
    mutual = await PrivateRedis.start({ tls: { ...files, authClients: true } });
  });
  afterAll(async () => {
    await server?.destroy();
    await mutual?.destroy();
    await pki?.remove();
  });

  const base = () => `rediss://:tls-pass-7@127.0.0.1:${server.port}`;

  it('?tlsCaFile= trusts the server: queues work over TLS', async () => {
    const broker = await connect(`${base()}?tlsCaFile=${encodeURIComponent(pki.caFile)}&prefix=${prefix}`, quiet);
    try {
      const q = await broker.createQueue('over-tls');
      await q.send('encrypted');
      expect((await q.receive({ waitTimeSeconds: 1 })).map((m) => m.body)).toEqual(['encrypted']);
      await broker.deleteQueue(q.name);
    } finally {
      await broker.close();
    }
  });

  it('transportOptions.tls.ca does the same, and the long-poll connection uses TLS too', async () => {
    const ca = await readFile(pki.caFile);
    const options = { ...quiet, transportOptions: { tls: { ca }, prefix } };
    const broker = await connect(base(), options);
    const other = await connect(base(), options);
    try {
      const q = await broker.createQueue('tls-poll');
      const poll = q.receive({ waitTimeSeconds: 5 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await other.queue(q.name).send('woken');
      expect((await poll).map((m) => m.body)).toEqual(['woken']);
      await broker.deleteQueue(q.name);
    } finally {
      await broker.close();
      await other.close();
    }
  });

  it.each([
    ['no CA (the system store does not know the test CA)', ''],
    ['the wrong CA', 'other'],
  ])('%s: PermissionDenied at connect, fast, saying how to fix it', async (_, which) => {
    const query = which === 'other' ? `?tlsCaFile=${encodeURIComponent(pki.otherCaFile)}` : '';
    const { error, ms } = await failure(connect(`${base()}${query}`, quiet));
    expect(ms).toBeLessThan(2000);
    expect(error).toMatchObject({ code: 'PermissionDenied', retryable: false, transport: 'redis' });
    expect(error.message).toMatch(/certificate is not trusted .*tlsCaFile/);
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain('tls-pass-7');
  });

  it('a server name the certificate does not carry is PermissionDenied; tlsServerName fixes the check', async () => {
    const ca = `tlsCaFile=${encodeURIComponent(pki.caFile)}`;
    const wrong = await failure(connect(`${base()}?${ca}&tlsServerName=cache.example`, quiet));
    expect(wrong.error.code).toBe('PermissionDenied');
    expect(wrong.error.message).toContain('tlsServerName');
    const right = await connect(`${base()}?${ca}&tlsServerName=localhost`, quiet);
    await right.close();
  });

  it('a missing CA file is InvalidParameter naming the file', async () => {
    const { error } = await failure(connect(`${base()}?tlsCaFile=/nonexistent/ca.pem`, quiet));
    expect(error.code).toBe('InvalidParameter');
    expect(error.message).toContain('/nonexistent/ca.pem');
  });

  it('mutual TLS: a client certificate from tlsCertFile/tlsKeyFile is accepted', async () => {
    const files = [`tlsCaFile=${pki.caFile}`, `tlsCertFile=${pki.clientCertFile}`, `tlsKeyFile=${pki.clientKeyFile}`]
      .map((pair) => pair.replace(/=(.*)$/, (_, path: string) => `=${encodeURIComponent(path)}`))
      .join('&');
    const broker = await connect(`rediss://127.0.0.1:${mutual.port}?${files}&prefix=${prefix}`, quiet);
    try {
      const q = await broker.createQueue('mtls');
      await q.send('both sides proven');
      expect((await q.receive()).map((m) => m.body)).toEqual(['both sides proven']);
    } finally {
      await broker.close();
    }
    const without = await failure(
      connect(`rediss://127.0.0.1:${mutual.port}?tlsCaFile=${encodeURIComponent(pki.caFile)}`, quiet),
    );
    expect(without.ms).toBeLessThan(2000);
    expect(['Unavailable', 'PermissionDenied']).toContain(without.error.code);
  });

  it('TLS options on a plain redis:// URL are InvalidParameter', async () => {
    const { error } = await failure(
      connect(`redis://127.0.0.1:${server.port}`, { ...quiet, transportOptions: { tls: {} } }),
    );
    expect(error.code).toBe('InvalidParameter');
    expect(error.message).toContain('rediss://');
  });
});
