import { InvalidParameterError } from '../errors.js';

export interface HostPort {
  readonly host: string;
  /** `undefined` when the URL gives none: the transport applies its default port. */
  readonly port: number | undefined;
}

export interface Authority {
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly hosts: readonly HostPort[];
}

const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]*)(?::(\d*))?$/;
const HOST_NAME = /^[A-Za-z0-9._~%-]*$/;

/** `[user[:password]@]host[:port][,host[:port]…]`; errors describe the part, never its text. */
export function parseAuthority(scheme: string, authority: string): Authority {
  const at = authority.lastIndexOf('@');
  const userInfo = at === -1 ? undefined : authority.slice(0, at);
  const hostList = at === -1 ? authority : authority.slice(at + 1);
  let username: string | undefined;
  let password: string | undefined;
  if (userInfo !== undefined) {
    const colon = userInfo.indexOf(':');
    username = decodePart(scheme, 'user name', colon === -1 ? userInfo : userInfo.slice(0, colon));
    if (colon !== -1) password = decodePart(scheme, 'password', userInfo.slice(colon + 1));
  }
  return { username, password, hosts: parseHostList(scheme, hostList) };
}

/** `host[:port][,host[:port]…]`, as in a URL's authority or a `nodes=` parameter. */
export function parseHostList(scheme: string, text: string): HostPort[] {
  return text === '' ? [] : text.split(',').map((entry, index) => parseHostPort(scheme, entry.trim(), index));
}

function parseHostPort(scheme: string, entry: string, index: number): HostPort {
  const match = HOST_PORT.exec(entry);
  const rawHost = match?.[1];
  const where = `host ${index + 1} of the ${scheme}:// URL`;
  if (rawHost === undefined || rawHost === '' || !(rawHost.startsWith('[') || HOST_NAME.test(rawHost))) {
    throw new InvalidParameterError(`${where} is not host[:port]`);
  }
  const portText = match?.[2];
  let port: number | undefined;
  if (portText !== undefined && portText !== '') {
    port = Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new InvalidParameterError(`${where} has a port outside 1–65535`);
    }
  }
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : decodePart(scheme, 'host', rawHost).toLowerCase();
  return { host, port };
}

export function decodePart(scheme: string, part: string, text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new InvalidParameterError(`the ${part} of a ${scheme}:// URL has a malformed %-escape`);
  }
}
