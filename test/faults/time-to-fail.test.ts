import { connect, isMsgportError, type MsgportError } from '@msgport/core';
import '@msgport/memory';
import '@msgport/rabbitmq';
import '@msgport/redis';
import '@msgport/sqs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { AMQP_URL, REDIS_URL } from '../support/env.js';
import { awsDenyingPeer, closedPort, garbagePeer, resettingPeer, silentPeer } from '../support/peers.js';
import { commonSituations, DEADLINES, networkSituations, type Situation, Tracker } from './situations.js';

/**
 * Situation → error code → time to fail, per transport, as docs/errors.md tabulates it. Each row
 * asserts what DESIGN §6 requires; rows that fail today because of transport code run as
 * `it.fails` naming the file to fix. The measured table is printed at the end of the run.
 */
const measured: string[] = [];
const peers = {
  closed: await closedPort(),
  silent: await silentPeer(),
  resetting: await resettingPeer(),
  garbage: await garbagePeer(),
};
const denying = await awsDenyingPeer();
afterAll(async () => {
  await Promise.all([peers.silent.close(), peers.resetting.close(), peers.garbage.close(), denying.close()]);
  console.info(
    `time to fail (connectTimeoutMs ${DEADLINES.connectTimeoutMs}, callTimeoutMs ${DEADLINES.callTimeoutMs}):\n` +
      `| transport | situation | code (retryable) | time to fail |\n|---|---|---|---|\n${measured.sort().join('\n')}`,
  );
});

function defineRows(transport: string, skip: string, situations: () => Situation[]) {
  describe.skipIf(skip !== '')(`time to fail: ${transport}`, () => {
    for (const situation of skip === '' ? situations() : []) {
      const define = situation.knownFailure === undefined ? it : it.fails;
      const title = situation.knownFailure
        ? `${situation.name} [fails today: ${situation.knownFailure}]`
        : situation.name;
      define(title, async () => {
        const track = new Tracker();
        const error = await situation.run(track).then(
          () => undefined,
          (e: unknown) => e,
        );
        const tookMs = Date.now() - track.startedAt;
        await track.cleanup();
        const typed = isMsgportError(error) ? (error as MsgportError) : undefined;
        const outcome = typed
          ? `${typed.code} (${typed.retryable})`
          : error === undefined
            ? 'no error'
            : `untyped ${String(error)}`;
        const message = typed ? ` — “${typed.message.slice(0, 90)}”` : '';
        measured.push(`| ${transport} | ${situation.name} | ${outcome}${message} | ${tookMs} ms |`);
        expect(typed, `failed with ${outcome}`).toBeDefined();
        expect(situation.codes).toContain(typed?.code);
        if (situation.retryable !== undefined) expect(typed?.retryable).toBe(situation.retryable);
        if (situation.notMessage) expect(typed?.message).not.toMatch(situation.notMessage);
        expect(tookMs).toBeLessThan(situation.withinMs);
      });
    }
  });
}

const common = (url: string, badParamUrl: string) => commonSituations((track) => track.connect(url), badParamUrl);

defineRows('memory', '', () => common('memory://', 'memory://?typo=1'));

const redisSkip = inject('redisAvailable') ? '' : 'no Redis at REDIS_URL';
const redis = new URL(REDIS_URL);
defineRows('redis', redisSkip, () => [
  ...networkSituations({
    url: (userinfo, hostPort, path = '') => `redis://${userinfo}@${hostPort}${path}`,
    tlsUrl: (userinfo, hostPort) => `rediss://${userinfo}@${hostPort}`,
    server: { host: redis.hostname, port: Number(redis.port || 6379), userinfo: '' },
    badCredentials: { url: `redis://nobody:wrong@${redis.host}` },
    badPath: { name: 'database index out of range', path: '/99' },
    peers,
  }),
  ...common(`${REDIS_URL}?prefix=ttf:`, `${REDIS_URL}?typo=1`),
]);

const rabbitSkip = inject('rabbitmqUnavailable');
const amqp = new URL(AMQP_URL);
const guest = `${amqp.username}:${amqp.password}`;
defineRows('rabbitmq', rabbitSkip, () => [
  ...networkSituations({
    url: (userinfo, hostPort, path = '') => `amqp://${userinfo}@${hostPort}${path}`,
    tlsUrl: (userinfo, hostPort) => `amqps://${userinfo}@${hostPort}`,
    server: { host: amqp.hostname, port: Number(amqp.port || 5672), userinfo: guest },
    badCredentials: { url: `amqp://${amqp.username}:wrong@${amqp.host}` },
    badPath: { name: 'virtual host that does not exist', path: '/no-such-vhost' },
    peers,
  }),
  ...common(`${AMQP_URL}?namespace=ttf`, `${AMQP_URL}?namspace=typo`),
]);

const fauxqs = inject('fauxqsEndpoint');
const sqsHost = fauxqs === '' ? new URL('http://127.0.0.1:1') : new URL(fauxqs);
defineRows('sqs', fauxqs === '' ? 'fauxqs did not start' : '', () => [
  ...networkSituations({
    url: (userinfo, hostPort) => `sqs://${userinfo}@${hostPort}?region=us-east-1&tls=false`,
    tlsUrl: (userinfo, hostPort) => `sqs://${userinfo}@${hostPort}?region=us-east-1`,
    server: { host: sqsHost.hostname, port: Number(sqsHost.port), userinfo: 'test:test' },
    badCredentials: { url: `sqs://AKID:wrong@127.0.0.1:${denying.port}?region=us-east-1&tls=false` },
    peers,
  }),
  ...common(
    `sqs://test:test@${sqsHost.host}?region=us-east-1&tls=false`,
    `sqs://test:test@${sqsHost.host}?region=us-east-1&tls=false&typo=1`,
  ),
]);

it('the measured brokers use the short deadlines the table is read against', async () => {
  const broker = await connect('memory://', { logger: false, ...DEADLINES });
  expect(broker.deadlines).toEqual(DEADLINES);
  await broker.close();
});
