import type { ConnectionOptions } from 'node:tls';
import { InvalidParameterError, tlsConnectOptions } from '@msgport/core/driver';
import type { TlsUrlOptions } from './url.js';

/**
 * TLS settings for a `rediss://` client: the URL's files (`tlsCaFile`, `tlsCertFile`,
 * `tlsKeyFile`) and `tlsServerName`, overridden by `transportOptions.tls` (any Node
 * `tls.connect` option: `ca`, `cert`, `key`, `servername`, `rejectUnauthorized`, …).
 * `undefined` for plain `redis://`, where TLS options are a mistake.
 */
export function tlsOptionsFor(
  tls: boolean,
  files: TlsUrlOptions,
  given: ConnectionOptions | undefined,
): ConnectionOptions | undefined {
  if (!tls) {
    if (given !== undefined) {
      throw new InvalidParameterError('transportOptions.tls needs a rediss:// (or rediss+sentinel://) URL');
    }
    return undefined;
  }
  return tlsConnectOptions(files, given);
}
