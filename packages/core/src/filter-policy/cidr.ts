/**
 * IP addresses and CIDR blocks for the `cidr` operator (IPv4 and IPv6).
 *
 * SNS reports CIDR errors with the wording of the AWS Event Ruler compiler ("Malformed CIDR, one '/'
 * required", "Nonstandard IP address: …"; recorded from real SNS in LocalStack's snapshot
 * tests/aws/services/sns/test_sns_filter_policy.snapshot.json), so the mask limits follow that
 * compiler, except that a block may be a single address: `/32` for IPv4, `/128` for IPv6 (the Event
 * Ruler compiler stops at 31 and 127 bits; SNS accepts the full-length IPv6 block).
 */

export interface CidrBlock {
  readonly bytes: Uint8Array;
  readonly maskBits: number;
}

export type CidrParse =
  | { readonly ok: true; readonly block: CidrBlock }
  | { readonly ok: false; readonly error: string };

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4(text: string): Uint8Array | undefined {
  const match = IPV4.exec(text);
  if (match === null) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i += 1) {
    const octet = Number(match[i + 1]);
    if (octet > 255) return undefined;
    bytes[i] = octet;
  }
  return bytes;
}

function parseGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  for (const part of text.split(':')) {
    if (!HEX_GROUP.test(part)) return undefined;
    groups.push(Number.parseInt(part, 16));
  }
  return groups;
}

function parseIpv6(text: string): Uint8Array | undefined {
  let head = text;
  let tail: Uint8Array | undefined;
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.includes('.', lastColon)) {
    // Dotted IPv4 tail, as in ::ffff:10.0.0.1
    tail = parseIpv4(text.slice(lastColon + 1));
    if (tail === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const left = parseGroups(halves[0] ?? '');
  const right = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (left === undefined || right === undefined) return undefined;
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...left, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...right];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  if (tail !== undefined) bytes.set(tail, 12);
  return bytes;
}

function isIpv4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i += 1) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/**
 * The address bytes (4 or 16) of an IP literal, or undefined. IPv4-mapped IPv6 addresses
 * (`::ffff:10.0.0.1`) become their IPv4 form, as Java's InetAddress (behind SNS) resolves them.
 */
export function parseIp(text: string): Uint8Array | undefined {
  if (text.includes(':')) {
    const bytes = parseIpv6(text);
    return bytes !== undefined && isIpv4Mapped(bytes) ? bytes.slice(12) : bytes;
  }
  return parseIpv4(text);
}

export function sameIp(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

export function parseCidr(text: string): CidrParse {
  const parts = text.split('/');
  if (parts.length !== 2) return { ok: false, error: `cidr "${text}" is malformed: exactly one "/" is required` };
  const [address = '', mask = ''] = parts;
  if (!/^\d+$/.test(mask)) return { ok: false, error: `cidr "${text}" is malformed: the mask bits must be an integer` };
  const bytes = parseIp(address);
  if (bytes === undefined) return { ok: false, error: `cidr "${text}" has a nonstandard IP address "${address}"` };
  const maskBits = Number(mask);
  const maxBits = bytes.length * 8;
  if (maskBits > maxBits) {
    return {
      ok: false,
      error: `cidr "${text}": ${bytes.length === 4 ? 'IPv4' : 'IPv6'} mask bits must be at most ${maxBits}`,
    };
  }
  return { ok: true, block: { bytes, maskBits } };
}

export function cidrContains(block: CidrBlock, address: Uint8Array): boolean {
  if (address.length !== block.bytes.length) return false;
  let remaining = block.maskBits;
  for (let i = 0; remaining > 0; i += 1) {
    const bits = Math.min(8, remaining);
    const mask = (0xff << (8 - bits)) & 0xff;
    if (((address[i] ?? 0) & mask) !== ((block.bytes[i] ?? 0) & mask)) return false;
    remaining -= bits;
  }
  return true;
}
