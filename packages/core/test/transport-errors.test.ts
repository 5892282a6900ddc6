import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../src/errors.js';
import { connect, registerTransport } from '../src/registry.js';
import { Redactor } from '../src/secrets.js';
import { rawErrorOf, TransportCause } from '../src/transport-cause.js';
import { FakeDriver } from './fake-driver.js';

const PASSWORD = 'Sup3r-Secret-pw';
const TOKEN = 'T0ken-Secret-42';
const URL_TEXT = `fakesecret://user:${PASSWORD}@host?token=${TOKEN}&region=eu`;

let nextDriver: FakeDriver = new FakeDriver();
let openFailure: unknown;
registerTransport({
  schemes: ['fakesecret'],
  publicParams: ['region'],
  open: () => {
    if (openFailure !== undefined) throw openFailure;
    return nextDriver;
  },
});

/** Everything a user could print of an error: message, stack, inspect with hidden fields, JSON, causes. */
function everything(error: unknown): string {
  const parts: string[] = [inspect(error, { showHidden: true, depth: 30 })];
  for (let e: unknown = error; e !== undefined && e !== null; e = (e as { cause?: unknown }).cause) {
    parts.push(String((e as Error).message), String((e as Error).stack), JSON.stringify(e) ?? '');
  }
  return parts.join('\n');
}

/** An AWS SDK error in shape: the signed request and the response live in hidden fields. */
function sdkLikeError(): Error {
  const error = new Error(`The security token included in the request is invalid: ${TOKEN}`);
  Object.defineProperty(error, '$response', {
    enumerable: false,
    value: { headers: { authorization: `AWS4-HMAC-SHA256 Credential=${TOKEN}` } },
  });
  return Object.assign(error, {
    name: 'UnrecognizedClientException',
    $metadata: { httpStatusCode: 403, requestId: 'req-123' },
    Code: 'UnrecognizedClient',
  });
}

describe('errors from a transport reach the user sanitized', () => {
  it('a raw client error: message scrubbed of the URL secrets, a plain summary as cause', async () => {
    nextDriver = new FakeDriver();
    openFailure = undefined;
    const broker = await connect(URL_TEXT, { logger: false, retry: { attempts: 1 } });
    const raw = sdkLikeError();
    nextDriver.failWith = raw;
    const error = await broker.listQueues().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'Internal', transport: 'fake' });
    expect((error as Error).message).toContain('The security token included in the request is invalid: ***');
    const cause = (error as Error).cause as TransportCause;
    expect(cause).toBeInstanceOf(TransportCause);
    expect(cause).toMatchObject({
      name: 'UnrecognizedClientException',
      status: 403,
      requestId: 'req-123',
      code: 'UnrecognizedClient',
    });
    expect(cause.cause).toBeUndefined();
    const printed = everything(error);
    expect(printed).not.toContain(TOKEN);
    expect(printed).not.toContain(PASSWORD);
    expect(rawErrorOf(error)).toBe(raw);
    nextDriver.failWith = undefined;
    await broker.close();
  });

  it('a MsgportError a driver throws keeps its code; its raw cause chain is summarized', async () => {
    nextDriver = new FakeDriver();
    const broker = await connect(URL_TEXT, { logger: false, retry: { attempts: 1 } });
    const socket = Object.assign(new Error(`connect to user:${PASSWORD}@host failed`), { code: 'ECONNRESET' });
    nextDriver.failWith = new UnavailableError(`lost ${PASSWORD}`, { cause: socket, transport: 'fake' });
    const error = await broker.listTopics().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).toMatchObject({ code: 'Unavailable', retryable: true, message: 'lost ***' });
    expect((error as Error).cause).toMatchObject({ code: 'ECONNRESET', message: 'connect to user:***@host failed' });
    expect(everything(error)).not.toContain(PASSWORD);
    nextDriver.failWith = undefined;
    await broker.close();
  });

  it('open() failures are sanitized too, and an untyped one keeps no raw cause', async () => {
    openFailure = Object.assign(new TypeError('Invalid URL'), { code: 'ERR_INVALID_URL', input: URL_TEXT });
    const untyped = await connect(URL_TEXT, { logger: false }).catch((e: unknown) => e);
    expect(untyped).toMatchObject({ code: 'Internal' });
    expect((untyped as Error).message).toContain('fakesecret://user:***@host?token=***&region=eu');
    expect((untyped as Error).cause).toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_URL' });
    openFailure = new UnavailableError('refused', { cause: sdkLikeError() });
    const typed = await connect(URL_TEXT, { logger: false }).catch((e: unknown) => e);
    expect(typed).toMatchObject({ code: 'Unavailable' });
    for (const error of [untyped, typed]) {
      expect(everything(error)).not.toContain(PASSWORD);
      expect(everything(error)).not.toContain(TOKEN);
    }
    openFailure = undefined;
  });
});

describe('Redactor', () => {
  it('replaces known secrets and their percent-encoded forms, longest first', () => {
    const redactor = new Redactor(['p@ss/word-1', 'p@ss/word-1-and-more', undefined]);
    expect(redactor.redact('a p@ss/word-1-and-more b p%40ss%2Fword-1 c p@ss/word-1')).toBe('a *** b *** c ***');
  });

  it('leaves secrets shorter than 6 characters alone (they would mangle ordinary words)', () => {
    expect(new Redactor(['guest']).redact('guest logged in')).toBe('guest logged in');
  });
});
