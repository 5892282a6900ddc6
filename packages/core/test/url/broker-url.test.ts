import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BrokerUrl } from '../../src/url/broker-url.js';

const SECRET = 'hunter2';

function everyRendering(value: unknown): string[] {
  return [
    String(value),
    `${value}`,
    JSON.stringify({ value }),
    inspect(value, { showHidden: true, depth: 30 }),
    inspect({ nested: [value] }, { showHidden: true, depth: 30 }),
  ];
}

function caught(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('BrokerUrl', () => {
  it('reads scheme, user-info, hosts, path and parameters', () => {
    const url = BrokerUrl.parse(`amqps://us%3Aer:${SECRET}@h1:5671,[::1]:5672,h3/v%2Fh?heartbeat=5&namespace=x`);
    expect(url.scheme).toBe('amqps');
    expect(url.username).toBe('us:er');
    expect(url.password()).toBe(SECRET);
    expect(url.hosts).toEqual([
      { host: 'h1', port: 5671 },
      { host: '::1', port: 5672 },
      { host: 'h3', port: undefined },
    ]);
    expect(url.path).toBe('v/h');
    expect(url.param('heartbeat')).toBe('5');
    expect(url.paramNames()).toEqual(['heartbeat', 'namespace']);
  });

  it('accepts URLs without hosts', () => {
    expect(BrokerUrl.parse('memory://').hosts).toEqual([]);
    expect(BrokerUrl.parse('sqs://?region=eu-west-1').param('region')).toBe('eu-west-1');
  });

  it('keeps a raw @ in the password and redacts all of it', () => {
    const url = BrokerUrl.parse('redis://user:hun@ter2@host:6379');
    expect(url.password()).toBe('hun@ter2');
    expect(url.hosts).toEqual([{ host: 'host', port: 6379 }]);
    for (const text of everyRendering(url)) {
      expect(text).not.toContain('hun');
      expect(text).not.toContain('ter2');
    }
  });

  it('masks every parameter value not declared public, whatever its (encoded) name', () => {
    const url = BrokerUrl.parse(`sqs://?region=eu-west-1&%73ecretAccessKey=${SECRET}&secretKey=${SECRET}`);
    expect(url.param('secretAccessKey')).toBe(SECRET);
    expect(url.redacted()).toBe('sqs://?region=***&secretAccessKey=***&secretKey=***');
    const shown = url.withPublicParams(['region']);
    expect(shown.redacted()).toBe('sqs://?region=eu-west-1&secretAccessKey=***&secretKey=***');
    for (const text of everyRendering(shown)) expect(text).not.toContain(SECRET);
  });

  it('names an unknown parameter without its value', () => {
    const error = caught(() => BrokerUrl.parse(`amqp://h?namspace=${SECRET}`).assertKnownParams(['namespace']));
    expect(error).toMatchObject({ code: 'InvalidParameter' });
    expect(error.message).toContain('"namspace"');
    expect(error.message).not.toContain(SECRET);
  });

  it('drops parameters core consumes', () => {
    const url = BrokerUrl.parse('redis://h?callTimeoutMs=5&prefix=a').withoutParams(['callTimeoutMs']);
    expect(url.paramNames()).toEqual(['prefix']);
  });

  it.each([
    [`redis:/:${SECRET}@host`, 'must start with "redis://"'],
    [`not a url ${SECRET}`, 'starts with a scheme'],
    [`redis://:${SECRET}@host:99999`, 'port outside'],
    [`redis://:${SECRET}@ho st`, 'is not host[:port]'],
    [`redis://:${SECRET}%zz@host`, 'malformed %-escape'],
    [`redis://:${SECRET}@host#frag`, 'no #fragment'],
    [`redis://:pw@host?a=${SECRET}&a=2`, 'appears twice'],
    [`redis://:pw${SECRET}?@host`, 'is not host[:port]'],
  ])('rejects %s without quoting it and without a cause', (input, fragment) => {
    const error = caught(() => BrokerUrl.parse(input));
    expect(error).toMatchObject({ code: 'InvalidParameter' });
    expect(error.message).toContain(fragment);
    expect(error.cause).toBeUndefined();
    for (const text of [error.message, error.stack ?? '', inspect(error, { showHidden: true, depth: 30 })]) {
      expect(text).not.toContain(SECRET);
    }
  });

  it.each([null, undefined, 42, Symbol('x'), {}, []])('rejects %s as a URL with a typed error', (input) => {
    expect(() => BrokerUrl.parse(input as unknown as string)).toThrow(
      expect.objectContaining({ code: 'InvalidParameter' }),
    );
  });
});
