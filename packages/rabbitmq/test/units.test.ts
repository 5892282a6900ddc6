import { resolveQueueConfig } from '@msgport/core/driver';
import type { Message } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { classifyRabbitError } from '../src/classify-error.js';
import { connectFailure } from '../src/connect-failure.js';
import { hostOrder, roundFrom } from '../src/host-order.js';
import { decodeMessage, encodeMessage } from '../src/message-codec.js';
import { type ControlRecord, RegistryState } from '../src/registry-state.js';
import { DELIVERY_LIMIT, delayRoutingKey, Names, queueArguments } from '../src/topology.js';
import { resolveSettings } from '../src/url.js';

const config = resolveQueueConfig('q');

describe('registry state (compare-and-set records)', () => {
  it('keeps the first of two racing creations and ignores the loser', () => {
    const state = new RegistryState();
    const create = (id: string, visibility: number, prev: string | null): ControlRecord => ({
      op: 'queue',
      id,
      name: 'q',
      config: { ...config, visibilityTimeoutSeconds: visibility },
      createdAt: 1,
      prev,
    });
    state.apply(create('a', 10, null));
    state.apply(create('b', 20, null));
    expect(state.queues.get('q')?.config.visibilityTimeoutSeconds).toBe(10);
    state.apply({ op: 'queue-delete', id: 'd', name: 'q', prev: 'b' });
    expect(state.queues.has('q')).toBe(true);
    state.apply({ op: 'queue-delete', id: 'd', name: 'q', prev: 'a' });
    expect(state.queues.has('q')).toBe(false);
  });

  it('lets one purge per cut-off win and forgets purges with the queue', () => {
    const state = new RegistryState();
    state.apply({ op: 'queue', id: 'a', name: 'q', config, createdAt: 1, prev: null });
    expect(state.apply({ op: 'purge', id: 'p1', queue: 'q', at: 5, prev: null }).kind).toBe('purged');
    expect(state.apply({ op: 'purge', id: 'p2', queue: 'q', at: 6, prev: null }).kind).toBe('none');
    expect(state.purgedBefore('q')).toBe(5);
    state.apply({ op: 'queue', id: 'b', name: 'q', config, createdAt: 9, prev: 'a' });
    expect(state.purgedBefore('q')).toBe(Number.NEGATIVE_INFINITY);
  });

  it('drops a topic’s subscriptions with the topic', () => {
    const state = new RegistryState();
    state.apply({
      op: 'topic',
      id: 't',
      name: 'T',
      config: { fifo: false, contentBasedDeduplication: false },
      prev: null,
    });
    const subscription = {
      id: 's',
      topic: 'T',
      queue: 'q',
      rawMessageDelivery: true,
      filterPolicyScope: 'MessageAttributes' as const,
    };
    state.apply({ op: 'subscribe', id: 'x', subscription });
    expect(state.subscriptionsOf('T')).toHaveLength(1);
    state.apply({ op: 'topic-delete', id: 'y', name: 'T', prev: 't' });
    expect(state.subscriptionsOf('T')).toEqual([]);
  });
});

describe('topology', () => {
  it('never sends x-delivery-limit -1 (it drops messages on RabbitMQ 3.x)', () => {
    expect(queueArguments(config)['x-delivery-limit']).toBe(DELIVERY_LIMIT);
    expect(DELIVERY_LIMIT).toBeGreaterThan(0);
    expect(queueArguments(resolveQueueConfig('f.fifo', { fifo: true }))['x-single-active-consumer']).toBe(true);
  });

  it('routes delays by their bits, most significant first, to an escaped queue word', () => {
    expect(delayRoutingKey(5, 'ns.orders.fifo')).toBe('0.0.0.0.0.0.0.1.0.1.ns~orders~fifo');
    expect(delayRoutingKey(900, 'q').split('.').slice(0, 10).join('')).toBe((900).toString(2).padStart(10, '0'));
  });

  it('keeps every AMQP name within 255 bytes, even for 256-character topic names', () => {
    const names = new Names('n'.repeat(64));
    const long = 't'.repeat(256);
    expect(names.topicExchange(long).length).toBeLessThanOrEqual(255);
    expect(names.topicExchange(long)).not.toBe(names.topicExchange(`${'t'.repeat(255)}u`));
    expect(names.topicExchange('short')).toBe(`${'n'.repeat(64)}.msgport.topic.short`);
  });
});

describe('url and errors', () => {
  it('reads msgport and amqplib parameters and defaults the heartbeat', () => {
    const settings = resolveSettings('amqp://u:p@host:5673/vh?namespace=test&fifoPrefetch=50&frameMax=131072');
    expect(settings.namespace).toBe('test');
    expect(settings.fifoPrefetch).toBe(50);
    // Close puts prefetched messages back within half of it.
    expect(settings.callTimeoutMs).toBe(30_000);
    expect(resolveSettings('amqp://h?callTimeoutMs=5000').callTimeoutMs).toBe(5_000);
    expect(resolveSettings('amqp://h?callTimeoutMs=5000', { callTimeoutMs: 7_000 }).callTimeoutMs).toBe(7_000);
    expect(settings.endpoint).toEqual({
      protocol: 'amqp',
      hosts: [{ host: 'host', port: 5673 }],
      shuffleHosts: false,
      redactedUrl: 'amqp://u:***@host:5673/vh?namespace=test&fifoPrefetch=50&frameMax=131072',
      username: 'u',
      password: 'p',
      vhost: 'vh',
      heartbeat: 10,
      frameMax: 131072,
    });
    expect(settings.redactedUrl).toBe('amqp://u:***@host:5673/vh?namespace=test&fifoPrefetch=50&frameMax=131072');
    expect(resolveSettings('amqps://h/%2F').endpoint).toMatchObject({ hosts: [{ host: 'h', port: 5671 }], vhost: '/' });
    expect(() => resolveSettings('amqp://h?namespace=a.b')).toThrow(/namespace/);
    expect(() => resolveSettings('http://h')).toThrow(/amqp/);
    const cluster = resolveSettings('amqp://u:p@h1,h2:5673,[::1]/?shuffleHosts=true');
    expect(cluster.endpoint.hosts).toEqual([
      { host: 'h1', port: 5672 },
      { host: 'h2', port: 5673 },
      { host: '::1', port: 5672 },
    ]);
    expect(cluster.endpoint.shuffleHosts).toBe(true);
    expect(resolveSettings('amqp://h', { hosts: ['x:1', 'y'] }).endpoint.hosts).toEqual([
      { host: 'x', port: 1 },
      { host: 'y', port: 5672 },
    ]);
    expect(() => resolveSettings('amqp://h?shuffleHosts=maybe')).toThrow(/shuffleHosts must be true or false/);
    expect(() => resolveSettings('amqp://h?tlsCaFile=/x')).toThrow(/need an amqps:\/\/ URL/);
    expect(() => resolveSettings('amqps://h?tlsCaFile=/nonexistent/ca.pem')).toThrow(/cannot read tlsCaFile/);
  });

  it('rejects unknown parameters by name, never echoing their value', () => {
    expect(() => resolveSettings('amqp://u:p@h?namspace=hunter2')).toThrow(/unknown parameter "namspace"/);
    expect(() => resolveSettings('amqp://u:p@h?namspace=hunter2')).not.toThrow(/hunter2/);
  });

  it('classifies amqplib and socket errors', () => {
    const coded = (code: number | string) => Object.assign(new Error('x'), { code });
    expect(classifyRabbitError(coded('ECONNREFUSED'))).toBe('Unavailable');
    expect(classifyRabbitError(coded(403))).toBe('PermissionDenied');
    expect(classifyRabbitError(coded(404))).toBe('QueueDoesNotExist');
    expect(classifyRabbitError(coded(320))).toBe('Unavailable');
    expect(classifyRabbitError(new Error('Channel ended, no reply will be forthcoming'))).toBe('Unavailable');
    expect(classifyRabbitError(new Error('something else'))).toBeUndefined();
  });
});

describe('host selection', () => {
  const hosts = ['a', 'b', 'c', 'd'].map((host, i) => ({ host, port: 5672 + i }));

  it('keeps the listed order unless shuffled; a shuffle is a permutation drawn once', () => {
    expect(hostOrder(hosts, false)).toEqual(hosts);
    let seed = 7;
    const random = () => {
      seed = (seed * 16_807) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const seen = new Set<string>();
    for (let run = 0; run < 50; run++) {
      const order = hostOrder(hosts, true, random);
      expect([...order].sort((x, y) => x.port - y.port)).toEqual(hosts);
      seen.add(order.map((h) => h.host).join(''));
    }
    expect(seen.size).toBeGreaterThan(10);
  });

  it('after losing node i tries i + 1 first, wraps around, and the lost node last', () => {
    expect(roundFrom(3, 0)).toEqual([0, 1, 2]);
    expect(roundFrom(3, 1)).toEqual([1, 2, 0]);
    expect(roundFrom(3, 3 % 3)).toEqual([0, 1, 2]);
    expect(roundFrom(1, 0)).toEqual([0]);
  });

  it('sorts connect failures: refused logins and vhosts end the connect, absent nodes are skipped', () => {
    const host = { host: 'h', port: 1 };
    const target = { username: 'app', vhost: 'prod' };
    const coded = (code: string) => Object.assign(new Error(`connect ${code} h:1`), { code });
    expect(connectFailure(coded('ECONNREFUSED'), host, target)).toMatchObject({
      kind: 'absent',
      reason: 'h:1 refused the connection (ECONNREFUSED)',
    });
    expect(connectFailure(coded('ECONNRESET'), host, target).kind).toBe('transient');
    const login = connectFailure(
      new Error(
        'Handshake terminated by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused"',
      ),
      host,
      target,
    );
    expect(login.error).toMatchObject({ code: 'PermissionDenied', retryable: false });
    const vhost = connectFailure(new Error('Expected ConnectionOpenOk; got <ConnectionClose channel:0>'), host, target);
    expect(vhost.error?.message).toContain('virtual host "prod"');
    expect(connectFailure(coded('DEPTH_ZERO_SELF_SIGNED_CERT'), host, target).error?.message).toMatch(/tlsCaFile/);
  });
});

describe('message codec', () => {
  it('round-trips body and typed attributes; a message from another client is a plain body', () => {
    const encoded = encodeMessage({
      messageId: 'm',
      body: 'héllo 😀',
      attributes: {
        n: { dataType: 'Number', stringValue: '10.5' },
        b: { dataType: 'Binary.x', binaryValue: new Uint8Array([0, 255]) },
      },
      sentAt: 1_700_000_000_123,
      enqueuedAt: 1_700_000_000_456,
      groupId: 'g',
    });
    const raw = {
      content: encoded.content,
      fields: { redelivered: false },
      properties: encoded.options,
    } as unknown as Message;
    const decoded = decodeMessage(raw, 'q');
    expect(decoded).toMatchObject({ messageId: 'm', body: 'héllo 😀', sentAt: 1_700_000_000_123, groupId: 'g' });
    expect(decoded.attributes.n).toEqual({ dataType: 'Number', stringValue: '10.5' });
    expect([...(decoded.attributes.b?.binaryValue ?? [])]).toEqual([0, 255]);
    const foreign = { content: Buffer.from('plain'), fields: { redelivered: true }, properties: { headers: {} } };
    expect(decodeMessage(foreign as unknown as Message, 'q')).toMatchObject({ body: 'plain', priorDeliveries: 1 });
  });

  it('a plain send carries no x-mq-enq (it is the SentTimestamp); a moved message keeps its own', () => {
    const sent = encodeMessage({ messageId: 'm', body: 'b', attributes: {}, sentAt: 5, enqueuedAt: 5 });
    expect(Object.keys(sent.options.headers ?? {})).toEqual(['x-mq-sent']);
    const moved = encodeMessage({ messageId: 'm', body: 'b', attributes: {}, sentAt: 5, enqueuedAt: 9 });
    const decode = (options: typeof sent.options) =>
      decodeMessage(
        { content: sent.content, fields: { redelivered: false }, properties: options } as unknown as Message,
        'q',
      );
    expect([decode(sent.options).enqueuedAt, decode(moved.options).enqueuedAt]).toEqual([5, 9]);
  });

  it('adds the receives a dead-lettered message had before its move to the broker count', () => {
    const encoded = encodeMessage({
      messageId: 'm',
      body: 'b',
      attributes: {},
      sentAt: 1,
      enqueuedAt: 2,
      priorReceives: 3,
    });
    const raw = (headers: Record<string, unknown>) =>
      ({
        content: encoded.content,
        fields: { redelivered: true },
        properties: { ...encoded.options, headers: { ...encoded.options.headers, ...headers } },
      }) as unknown as Message;
    expect(decodeMessage(raw({ 'x-delivery-count': 0 }), 'q').priorDeliveries).toBe(3);
    expect(decodeMessage(raw({ 'x-delivery-count': 2 }), 'q').priorDeliveries).toBe(5);
  });
});
