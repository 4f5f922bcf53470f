import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppError } from '../errors';

/**
 * Server-side fetches of user-supplied URLs must only ever reach the public internet: never
 * this machine, the private network it sits in, or a cloud metadata service. The rules:
 * - http and https only, no user name or password in the URL;
 * - the host name is resolved here, and EVERY address it resolves to must be public (one
 *   private answer among public ones is how DNS rebinding sneaks in);
 * - the connection is then made to the address that was checked (see remote-fetch.ts), not
 *   to whatever a second lookup returns;
 * - the URL parser has already normalised odd spellings (`127.1`, `2130706433`, `0x7f.1`,
 *   `017700000001` all become 127.0.0.1), and IPv6 forms that embed an IPv4 address
 *   (`::ffff:127.0.0.1`) are judged by that address.
 */

export type Resolved = { address: string; family: 4 | 6 };

export type GuardOptions = {
  /** Tests only, through deps: lets a test reach its own image server on loopback. */
  allowLoopback?: boolean;
  /** Tests only: answers lookups without DNS. */
  resolve?: (hostname: string) => Promise<Resolved[]>;
};

const V4_BLOCKS: [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

/** Inside global unicast (2000::/3), the ranges that are not ordinary internet hosts. */
const V6_BLOCKS: [string, number, string][] = [
  ['2001::', 23, 'reserved'], // IETF assignments, Teredo (embeds IPv4), benchmarking, ORCHID
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, '6to4 (embeds IPv4)'],
  ['3fff::', 20, 'documentation'],
];

function v4ToInt(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function inV4Block(address: string, base: string, bits: number): boolean {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (v4ToInt(address) & mask) >>> 0 === (v4ToInt(base) & mask) >>> 0;
}

/** Eight 16-bit groups; accepts `::` and a dotted IPv4 tail. */
export function v6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4Tail?.[1]) {
    const n = v4ToInt(v4Tail[1]);
    text = `${text.slice(0, -v4Tail[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => parseInt(g, 16));
}

function inV6Block(groups: number[], base: string, bits: number): boolean {
  const baseGroups = v6Groups(base);
  for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if (((groups[i] ?? 0) & mask) !== ((baseGroups[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** Why an address is not a public internet host, or null if it is one. */
export function nonPublicReason(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) {
    const block = V4_BLOCKS.find(([base, bits]) => inV4Block(bare, base, bits));
    return block ? block[2] : null;
  }
  if (family !== 6) return 'not an IP address';
  const g = v6Groups(bare);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    const v4 = `${(g[6] ?? 0) >> 8}.${(g[6] ?? 0) & 255}.${(g[7] ?? 0) >> 8}.${(g[7] ?? 0) & 255}`;
    const reason = nonPublicReason(v4);
    return reason ? `${reason} (IPv4-mapped)` : null;
  }
  if (g.every((x, i) => x === (i === 7 ? 1 : 0))) return 'loopback';
  if (g.every((x) => x === 0)) return 'unspecified';
  if (inV6Block(g, '64:ff9b::', 96) || inV6Block(g, '64:ff9b:1::', 48)) return 'NAT64';
  if (inV6Block(g, 'fc00::', 7)) return 'unique local';
  if (inV6Block(g, 'fe80::', 10)) return 'link-local';
  if (inV6Block(g, 'ff00::', 8)) return 'multicast';
  if (!inV6Block(g, '2000::', 3)) return 'reserved';
  const block = V6_BLOCKS.find(([base, bits]) => inV6Block(g, base, bits));
  return block ? block[2] : null;
}

const refuse = (message: string) => new AppError('url_not_allowed', message, { url: message });

/** Parses and checks the parts of a URL that need no network. */
export function checkUrl(raw: string | URL): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('The image address is not a valid URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw refuse('Only http:// and https:// image addresses can be fetched.');
  if (url.username || url.password)
    throw refuse('Image addresses with a user name or password are not fetched.');
  return url;
}

/** Resolves the URL's host and returns the address to connect to, if every answer is public. */
export async function checkTarget(url: URL, options: GuardOptions): Promise<Resolved> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  let answers: Resolved[];
  if (literal) {
    answers = [{ address: host, family: literal as 4 | 6 }];
  } else {
    try {
      answers = options.resolve
        ? await options.resolve(host)
        : ((await lookup(host, { all: true, verbatim: true })) as Resolved[]);
    } catch {
      throw new AppError('remote_fetch_failed', `The image host ${host} could not be found.`, {
        url: 'Host not found.',
      });
    }
  }
  if (answers.length === 0)
    throw new AppError('remote_fetch_failed', `The image host ${host} could not be found.`, {
      url: 'Host not found.',
    });
  for (const { address } of answers) {
    const reason = nonPublicReason(address);
    if (reason && !(reason === 'loopback' && options.allowLoopback)) {
      throw refuse(
        `The image address leads to ${address} (${reason}); the server only fetches from public internet addresses.`,
      );
    }
  }
  return answers[0] as Resolved;
}
