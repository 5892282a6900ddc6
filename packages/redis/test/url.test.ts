import { describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../src/url.js';

describe('parseRedisUrl', () => {
  it('reads host, port, database, credentials, TLS and parameters', () => {
    expect(parseRedisUrl('redis://localhost')).toEqual({
      host: 'localhost',
      port: 6379,
      db: 0,
      tls: false,
      cluster: false,
      nodes: [],
    });
    expect(parseRedisUrl('rediss://user:p%40ss@cache.example:6380/3?prefix=app%3A')).toEqual({
      host: 'cache.example',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 3,
      tls: true,
      cluster: false,
      nodes: [],
      prefix: 'app:',
    });
    expect(parseRedisUrl('redis://:only-password@[::1]:7000').password).toBe('only-password');
    expect(parseRedisUrl('redis://[::1]:7000').host).toBe('::1');
  });

  it('reads cluster startup nodes', () => {
    const parsed = parseRedisUrl('redis://10.0.0.1:7000?cluster=true&nodes=10.0.0.2:7001,10.0.0.3');
    expect(parsed.cluster).toBe(true);
    expect(parsed.nodes).toEqual([
      { host: '10.0.0.2', port: 7001 },
      { host: '10.0.0.3', port: 6379 },
    ]);
    expect(parseRedisUrl('redis://h?cluster').cluster).toBe(true);
    expect(parseRedisUrl('redis://h?cluster=0').cluster).toBe(false);
  });

  it.each([
    ['amqp://user:hunter2@host', 'not a redis:// or rediss:// URL'],
    ['redis://user:hunter2@host/notanumber', 'database'],
    ['redis://user:hunter2@host:99999', 'not a Redis URL'],
    ['redis://user:hunter2@host?unknown=1', 'unknown parameter "unknown"'],
    ['redis://user:hunter2@host?cluster=maybe', 'must be true or false'],
    ['redis://user:hunter2@host/2?cluster=true', 'only database 0'],
    ['redis://user:hunter2@host?cluster=true&nodes=:1', 'is not host:port'],
    ['not a url hunter2', 'not a Redis URL'],
  ])('%s is InvalidParameter without the password in the message', (url, fragment) => {
    let caught: unknown;
    try {
      parseRedisUrl(url);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'InvalidParameter' });
    const message = (caught as Error).message;
    expect(message).toContain(fragment);
    if (url.includes('://')) expect(message).not.toContain('hunter2');
  });
});
