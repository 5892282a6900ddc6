import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { classifyRedisError, scrubError } from '../src/classify-error.js';

function replyError(message: string): Error {
  const error = new Error(message);
  error.name = 'ReplyError';
  return error;
}

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyRedisError', () => {
  it.each([
    [withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'), 'Unavailable'],
    [withCode('read ECONNRESET', 'ECONNRESET'), 'Unavailable'],
    [withCode('connect ETIMEDOUT', 'ETIMEDOUT'), 'Unavailable'],
    // Every code of core's network-error set, not only those with a sentence of their own here.
    [withCode('connect EHOSTDOWN 10.0.0.9:6379', 'EHOSTDOWN'), 'Unavailable'],
    [new Error('Connection is closed.'), 'Unavailable'],
    [new Error("Stream isn't writeable and enableOfflineQueue options is false"), 'Unavailable'],
    [new Error('Command timed out'), 'Timeout'],
    [new Error('Too many Cluster redirections. Last error: Error: Connection is closed.'), 'Unavailable'],
    [new Error('All sentinels are unreachable. Retrying from scratch after 10ms.'), 'Unavailable'],
    [
      new Error('All sentinels are unreachable. Retrying from scratch after 10ms. Last error: WRONGPASS invalid'),
      'PermissionDenied',
    ],
    [replyError('ERR DB index is out of range'), 'InvalidParameter'],
    [Object.assign(new Error('Protocol error, got "H" as reply type byte'), { name: 'ParserError' }), 'Unavailable'],
    [new Error('Unknown RESP type 0 " ". Please report this.'), 'Unavailable'],
    [
      new Error(
        'All sentinels are unreachable. Retrying from scratch after 1ms. Last error: ERR No such master with that name',
      ),
      'InvalidParameter',
    ],
    [withCode('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'), 'PermissionDenied'],
    [withCode("Hostname/IP does not match certificate's altnames", 'ERR_TLS_CERT_ALTNAME_INVALID'), 'PermissionDenied'],
    [
      Object.assign(new Error('Failed to refresh slots cache.'), {
        name: 'ClusterAllFailedError',
        lastNodeError: replyError('WRONGPASS invalid username-password pair'),
      }),
      'Unavailable',
    ],
    [
      Object.assign(new Error('Reached the max retries per request limit (which is 10).'), {
        name: 'MaxRetriesPerRequestError',
      }),
      'Unavailable',
    ],
    [Object.assign(new Error('Failed to refresh slots cache.'), { name: 'ClusterAllFailedError' }), 'Unavailable'],
    [replyError('LOADING Redis is loading the dataset in memory'), 'Unavailable'],
    [replyError('BUSY Redis is busy running a script.'), 'Unavailable'],
    [replyError('CLUSTERDOWN The cluster is down'), 'Unavailable'],
    [replyError('TRYAGAIN Multiple keys request during rehashing of slot'), 'Unavailable'],
    [replyError("READONLY You can't write against a read only replica."), 'Unavailable'],
    [replyError('MOVED 3999 127.0.0.1:6381'), 'Unavailable'],
    [replyError('MISCONF Redis is configured to save RDB snapshots'), 'Unavailable'],
    [replyError("OOM command not allowed when used memory > 'maxmemory'."), 'Throttled'],
    [replyError('NOAUTH Authentication required.'), 'PermissionDenied'],
    [replyError('WRONGPASS invalid username-password pair or user is disabled.'), 'PermissionDenied'],
    [replyError("NOPERM this user has no permissions to run the 'evalsha' command"), 'PermissionDenied'],
    [
      replyError('ERR AUTH <password> called without any password configured for the default user.'),
      'PermissionDenied',
    ],
  ] as const)('%s → %s', (error, code) => {
    expect(classifyRedisError(error)).toBe(code);
  });

  it('leaves script and unknown errors to core (Internal)', () => {
    expect(classifyRedisError(replyError('NOSCRIPT No matching script.'))).toBeUndefined();
    expect(
      classifyRedisError(replyError('ERR user_script:1: Script attempted to access nonexistent global variable')),
    ).toBeUndefined();
    expect(classifyRedisError(new Error('something else'))).toBeUndefined();
    expect(classifyRedisError('text')).toBeUndefined();
    expect(classifyRedisError(null)).toBeUndefined();
  });

  it('looks at the cause of wrapped errors', () => {
    expect(classifyRedisError(new Error('outer', { cause: withCode('x', 'ECONNREFUSED') }))).toBe('Unavailable');
  });
});

describe('scrubError', () => {
  it('blanks the arguments of AUTH and HELLO commands attached by ioredis', () => {
    const auth = Object.assign(replyError('WRONGPASS invalid username-password pair'), {
      command: { name: 'auth', args: ['user', 's3cret-pass'] },
    });
    const hello = Object.assign(replyError('WRONGPASS x'), {
      command: { name: 'hello', args: ['3', 'AUTH', 'user', 's3cret-pass'] },
    });
    for (const error of [scrubError(auth), scrubError(hello)]) {
      expect(inspect(error, { depth: 5 })).not.toContain('s3cret-pass');
    }
    const evalsha = Object.assign(new Error('x'), { command: { name: 'evalsha', args: ['sha', '1', 'key'] } });
    expect(scrubError(evalsha).command.args).toEqual(['sha', '1', 'key']);
  });
});
