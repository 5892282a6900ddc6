import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tlsConnectOptions } from '../../src/driver/kit/tls-files.js';

const dir = mkdtempSync(join(tmpdir(), 'msgport-tls-files-'));
const ca = join(dir, 'ca.pem');
writeFileSync(ca, 'CA PEM');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function codeAndMessage(fn: () => unknown): { code: unknown; message: string } {
  try {
    fn();
  } catch (error) {
    return { code: (error as { code?: unknown }).code, message: (error as Error).message };
  }
  throw new Error('expected a throw');
}

describe('tlsConnectOptions', () => {
  it('reads the URL files, sets the server name, and lets transportOptions.tls win', () => {
    const options = tlsConnectOptions({ caFile: ca, serverName: 'broker.local' }, { rejectUnauthorized: false });
    expect(String(options.ca)).toBe('CA PEM');
    expect(options.servername).toBe('broker.local');
    expect(options.rejectUnauthorized).toBe(false);
    expect(tlsConnectOptions({ caFile: ca }, { ca: 'given' }).ca).toBe('given');
  });

  it('a missing file is InvalidParameter naming the parameter, the path and the code', () => {
    const missing = join(dir, 'nope.pem');
    expect(codeAndMessage(() => tlsConnectOptions({ caFile: missing }, undefined))).toEqual({
      code: 'InvalidParameter',
      message: `cannot read tlsCaFile "${missing}" (ENOENT)`,
    });
  });

  it('a certificate without its key (or a key alone) and a tls option that is not an object are InvalidParameter', () => {
    expect(codeAndMessage(() => tlsConnectOptions({ certFile: ca }, undefined)).code).toBe('InvalidParameter');
    expect(codeAndMessage(() => tlsConnectOptions({ keyFile: ca }, undefined)).code).toBe('InvalidParameter');
    const notAnObject = 'yes' as unknown as Parameters<typeof tlsConnectOptions>[1];
    expect(codeAndMessage(() => tlsConnectOptions({}, notAnObject)).code).toBe('InvalidParameter');
  });
});
