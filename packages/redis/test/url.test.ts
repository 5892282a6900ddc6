import { describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../src/url.js';

describe('parseRedisUrl', () => {
  it('reads host, port, database, credentials, TLS and parameters', () => {
    expect(parseRedisUrl('redis://localhost')).toEqual({
      host: 'localhost',
      port: 6379,
      db: 0,
      tls: false,
      tlsFiles: {},
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
      tlsFiles: {},
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

  it('reads Sentinel URLs: sentinels, primary name, database, both sets of credentials', () => {
    const parsed = parseRedisUrl(
      'redis+sentinel://app:data-pass@10.0.0.1,10.0.0.2:26380/mymaster/2?sentinelUsername=s&sentinelPassword=s%40p',
    );
    expect(parsed).toMatchObject({
      host: '10.0.0.1',
      port: 26379,
      username: 'app',
      password: 'data-pass',
      db: 2,
      tls: false,
      cluster: false,
      sentinel: {
        masterName: 'mymaster',
        nodes: [
          { host: '10.0.0.1', port: 26379 },
          { host: '10.0.0.2', port: 26380 },
        ],
        username: 's',
        password: 's@p',
      },
    });
    expect(parseRedisUrl('rediss+sentinel://s1/m').tls).toBe(true);
    expect(parseRedisUrl('redis+sentinel://s1/m').db).toBe(0);
  });

  it('reads TLS files, the server name and the failover window', () => {
    const parsed = parseRedisUrl(
      'rediss://h?tlsCaFile=/etc/ca.pem&tlsCertFile=/c.pem&tlsKeyFile=/k.pem&tlsServerName=cache&failoverWindowMs=2500',
    );
    expect(parsed.tlsFiles).toEqual({
      caFile: '/etc/ca.pem',
      certFile: '/c.pem',
      keyFile: '/k.pem',
      serverName: 'cache',
    });
    expect(parsed.failoverWindowMs).toBe(2500);
  });

  it('a sentinel password is redacted like the data password', () => {
    let caught: unknown;
    try {
      parseRedisUrl('redis+sentinel://:data-secret@s1/m?sentinelPassword=sentinel-secret&bogus=1');
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).message).toContain('unknown parameter "bogus"');
    expect((caught as Error).message).not.toMatch(/data-secret|sentinel-secret/);
  });

  it.each([
    ['amqp://user:hunter2@host', 'is not a redis://, rediss://'],
    ['redis://user:hunter2@host?tlsCaFile=/ca.pem', 'needs TLS: use rediss://'],
    ['rediss://user:hunter2@host?tlsCertFile=/c.pem', 'tlsCertFile and tlsKeyFile together'],
    ['redis://user:hunter2@host?failoverWindowMs=soon', 'failoverWindowMs'],
    ['redis://user:hunter2@host?sentinelPassword=hunter2', 'redis+sentinel:// URLs only'],
    ['redis+sentinel://user:hunter2@s1,s2', 'must name the primary'],
    ['redis+sentinel://user:hunter2@s1/m/1/2', 'must name the primary'],
    ['redis+sentinel://user:hunter2@s1/m/x', 'database'],
    ['redis+sentinel://user:hunter2@s1/m?cluster=true', 'does not apply to Sentinel'],
    ['redis://user:hunter2@host/notanumber', 'database'],
    ['redis://user:hunter2@host:99999', 'port outside 1–65535'],
    ['redis:/:hunter2@host', 'must start with "redis://"'],
    ['redis://host?password=hunter2', 'unknown parameter "password"'],
    ['redis://user:hunt@er2@host?unknown=1', 'unknown parameter "unknown"'],
    ['redis://user:hunter2@host?unknown=1', 'unknown parameter "unknown"'],
    ['redis://user:hunter2@host?cluster=maybe', 'must be true or false'],
    ['redis://user:hunter2@host/2?cluster=true', 'only database 0'],
    ['redis://user:hunter2@host?cluster=true&nodes=:1', 'is not host[:port]'],
    ['not a url hunter2', 'starts with a scheme'],
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
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('er2');
  });
});
