import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { InvalidParameterError, type TlsUrlFiles, tlsConnectOptions } from '@msgport/core/driver';

/** `?tlsCaFile=&tlsCertFile=&tlsKeyFile=&tlsServerName=` of an `amqps://` URL. */
export type TlsFiles = TlsUrlFiles;

/**
 * What amqplib hands to `tls.connect` for an `amqps://` URL (see core's `tlsConnectOptions`). On
 * `amqp://`, TLS settings are a mistake and rejected.
 */
export function tlsOptionsFor(secure: boolean, files: TlsFiles, given: TlsOptions | undefined): TlsOptions | undefined {
  if (!secure) {
    const named = Object.values(files).some((value) => value !== undefined);
    if (named || given !== undefined) {
      throw new InvalidParameterError(
        'TLS settings (tlsCaFile, tlsCertFile, tlsKeyFile, tlsServerName, tls) need an amqps:// URL',
      );
    }
    return undefined;
  }
  return tlsConnectOptions(files, given);
}
