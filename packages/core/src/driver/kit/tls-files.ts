import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { InvalidParameterError } from '../../errors.js';

/** The TLS settings a broker URL may carry: `?tlsCaFile=&tlsCertFile=&tlsKeyFile=&tlsServerName=`. */
export interface TlsUrlFiles {
  readonly caFile?: string | undefined;
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
  readonly serverName?: string | undefined;
}

/**
 * What a driver hands to `tls.connect`: the URL's PEM files, read once here so a missing file fails
 * `connect()` naming the parameter and the path, its server name, then `transportOptions.tls` (any
 * `tls.connect` option) on top. A client certificate needs its key and the other way round.
 */
export function tlsConnectOptions(files: TlsUrlFiles, given: ConnectionOptions | undefined): ConnectionOptions {
  if ((files.certFile === undefined) !== (files.keyFile === undefined)) {
    throw new InvalidParameterError('tlsCertFile and tlsKeyFile go together (a client certificate and its key)');
  }
  if (given !== undefined && (given === null || typeof given !== 'object')) {
    throw new InvalidParameterError('the tls option must be an object of tls.connect options');
  }
  return {
    ...(files.caFile !== undefined ? { ca: readPem('tlsCaFile', files.caFile) } : {}),
    ...(files.certFile !== undefined ? { cert: readPem('tlsCertFile', files.certFile) } : {}),
    ...(files.keyFile !== undefined ? { key: readPem('tlsKeyFile', files.keyFile) } : {}),
    ...(files.serverName !== undefined ? { servername: files.serverName } : {}),
    ...given,
  };
}

function readPem(parameter: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new InvalidParameterError(
      `cannot read ${parameter} "${path}"${typeof code === 'string' ? ` (${code})` : ''}`,
    );
  }
}
